using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>What a sum needs of a raw usage row (read without the request id).</summary>
internal readonly record struct RawUsage(long AtMs, int SeriesId, long InputTokens, long OutputTokens, long CachedTokens, long? CostPicos, int LatencyMs, int? TtftMs, bool Failed, int Flags, int Status)
{
    /// <summary>"Failed" as <see cref="UsageRecord.IsError"/> defines it: an error status or an error class.</summary>
    public static RawUsage Of(UsageRecordEntity row) => new(row.AtMs, row.SeriesId, row.InputTokens, row.OutputTokens, row.CachedTokens, row.CostPicos, row.LatencyMs,
        row.TtftMs, row.Status >= 400 || row.ErrorClass is not null, row.Flags, row.Status);
}

/// <summary>A row of <c>usage_hourly</c> or <c>usage_daily</c> as read (its unit is the hour or the day).</summary>
internal sealed record RollupRow(RollupKey Key, long Requests, long Errors, long Streamed, long Estimated, long Unpriced, long InputTokens, long OutputTokens,
    long CachedTokens, long CostPicos, long LatencyMsSum, byte[] LatencyHist, byte[] TtftHist);

/// <summary>Folds stored usage — raw rows and rollups — into <see cref="UsageTotals"/>, the same way wherever it is summed.</summary>
internal static class UsageAggregation
{
    public static void Add(this UsageTotals totals, RawUsage r)
    {
        var flags = (UsageFlags)r.Flags;
        totals.Add(r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMs, r.TtftMs, r.Failed,
            flags.HasFlag(UsageFlags.Streamed), flags.HasFlag(UsageFlags.Estimated));
    }

    public static void Add(this UsageTotals totals, RollupRow r) =>
        totals.Merge(r.Requests, r.Errors, r.Streamed, r.Estimated, r.Unpriced, r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMsSum,
            r.LatencyHist, r.TtftHist);

    /// <summary>A daily rollup of the kind kept before version 18 (no status, histograms as text).</summary>
    public static void Add(this UsageTotals totals, UsageRollupEntity r) =>
        totals.Merge(r.Requests, r.Errors, r.Streamed, r.Estimated, r.Unpriced, r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMsSum,
            LatencyHistogram.Parse(r.LatencyHistogram), LatencyHistogram.Parse(r.TtftHistogram));

    /// <summary>Whole picodollars as a rollup column keeps them: saturating, never overflowing.</summary>
    public static long StoredCost(this UsageTotals totals) => (long)Math.Min(totals.CostPicos, long.MaxValue);
}
