namespace Modelgate.Storage.Usage;

/// <summary>
/// Splits a usage range [from, to) into the pieces that answer it cheapest: whole UTC days from the daily rollups,
/// whole hours of the days the range cuts from the hourly rollups, and only the partial hours at its ends from raw
/// rows. Where the finer data is gone (past its retention), the coarser unit holding the edge is counted whole —
/// the hour from its rollup once raw rows are gone, the day once its hours are — so an old range is rounded out to
/// what is kept, never short of calls it holds.
/// </summary>
internal static class UsageRangePlan
{
    private static readonly long Hour = RollupGrain.Hour.Milliseconds;
    private static readonly long Day = RollupGrain.Day.Milliseconds;

    /// <param name="fromMs">The range's start, Unix milliseconds (inclusive).</param>
    /// <param name="toMs">The range's end (exclusive).</param>
    /// <param name="rawSinceMs">Raw rows are complete from here on.</param>
    /// <param name="hoursSinceMs">Hourly rollups are complete from here on.</param>
    /// <param name="byHour">Grouping by hour: no daily rollups at all.</param>
    public static IReadOnlyList<UsageSegment> Plan(long fromMs, long toMs, long rawSinceMs, long hoursSinceMs, bool byHour)
    {
        var segments = new List<UsageSegment>();
        if (fromMs >= toMs)
        {
            return segments;
        }

        if (byHour)
        {
            Hours(segments, fromMs, toMs, rawSinceMs);
            return Coalesce(segments);
        }

        var (firstDay, lastDay) = (CeilDiv(fromMs, Day), FloorDiv(toMs, Day));
        if (firstDay > lastDay)
        {
            PartOfDay(segments, fromMs, toMs, rawSinceMs, hoursSinceMs);
            return Coalesce(segments);
        }

        if (fromMs < firstDay * Day)
        {
            PartOfDay(segments, fromMs, firstDay * Day, rawSinceMs, hoursSinceMs);
        }

        if (firstDay < lastDay)
        {
            segments.Add(new UsageSegment(UsageGrain.Days, firstDay, lastDay));
        }

        if (lastDay * Day < toMs)
        {
            PartOfDay(segments, lastDay * Day, toMs, rawSinceMs, hoursSinceMs);
        }

        return Coalesce(segments);
    }

    // [a, b) within one day.
    private static void PartOfDay(List<UsageSegment> segments, long a, long b, long rawSinceMs, long hoursSinceMs)
    {
        if (a >= hoursSinceMs)
        {
            Hours(segments, a, b, rawSinceMs);
        }
        else
        {
            var day = FloorDiv(a, Day);
            segments.Add(new UsageSegment(UsageGrain.Days, day, day + 1));
        }
    }

    private static void Hours(List<UsageSegment> segments, long a, long b, long rawSinceMs)
    {
        var (firstHour, lastHour) = (CeilDiv(a, Hour), FloorDiv(b, Hour));
        if (firstHour > lastHour)
        {
            PartOfHour(segments, a, b, rawSinceMs);
            return;
        }

        if (a < firstHour * Hour)
        {
            PartOfHour(segments, a, firstHour * Hour, rawSinceMs);
        }

        if (firstHour < lastHour)
        {
            segments.Add(new UsageSegment(UsageGrain.Hours, firstHour, lastHour));
        }

        if (lastHour * Hour < b)
        {
            PartOfHour(segments, lastHour * Hour, b, rawSinceMs);
        }
    }

    // [a, b) within one hour.
    private static void PartOfHour(List<UsageSegment> segments, long a, long b, long rawSinceMs)
    {
        if (a >= rawSinceMs)
        {
            segments.Add(new UsageSegment(UsageGrain.Raw, a, b));
        }
        else
        {
            var hour = FloorDiv(a, Hour);
            segments.Add(new UsageSegment(UsageGrain.Hours, hour, hour + 1));
        }
    }

    // Neighbours from the same source (a whole hour next to the hours after it) become one read.
    internal static List<UsageSegment> Coalesce(List<UsageSegment> segments)
    {
        var merged = new List<UsageSegment>(segments.Count);
        foreach (var segment in segments)
        {
            if (merged.Count > 0 && merged[^1] is var last && last.Source == segment.Source && last.To == segment.From)
            {
                merged[^1] = last with { To = segment.To };
            }
            else
            {
                merged.Add(segment);
            }
        }

        return merged;
    }

    private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
