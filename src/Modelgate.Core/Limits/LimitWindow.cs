namespace Modelgate.Core.Limits;

/// <summary>
/// A minute, as limits count it: segments of 10 s. A request or a token counts in the segment it was taken in; a call
/// is admitted while the current segment and the six before it, with its own amount, stay within the limit. Any 60 s
/// lie within those seven segments, so no minute ever holds more than the limit; what was taken frees 60–70 s later.
/// </summary>
public static class LimitWindow
{
    public const long SegmentMs = 10_000;
    public const int Segments = 7;

    /// <summary>The segment a time (Unix milliseconds) falls in.</summary>
    public static long SegmentOf(long unixMs) => unixMs / SegmentMs;

    /// <summary>
    /// When a window whose segments hold <paramref name="counts"/> (oldest first, ending at segment <paramref name="current"/>)
    /// will have room for <paramref name="amount"/> more under <paramref name="limit"/>: as the oldest segments slide out.
    /// </summary>
    public static TimeSpan RoomIn(ReadOnlySpan<long> counts, long current, long used, long amount, long limit, long nowMs)
    {
        var freed = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            freed += counts[i];
            if (used - freed + Math.Max(amount, 1) <= limit)
            {
                var segment = current - counts.Length + 1 + i;
                return TimeSpan.FromMilliseconds(Math.Max(1, ((segment + Segments) * SegmentMs) - nowMs));
            }
        }

        // More than the limit on its own: never; a minute is as good an answer as any.
        return TimeSpan.FromMinutes(1);
    }
}
