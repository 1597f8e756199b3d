using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>What a sum needs of a raw usage row (read without the request id).</summary>
internal readonly record struct RawUsage(long AtMs, int SeriesId, long InputTokens, long OutputTokens, long CachedTokens, long? CostPicos, int LatencyMs, int? TtftMs, bool Failed, int Flags);

/// <summary>Folds stored usage — raw rows and daily rollups — into <see cref="UsageTotals"/>, the same way wherever it is summed.</summary>
internal static class UsageAggregation
{
    public static void Add(this UsageTotals totals, RawUsage r)
    {
        var flags = (UsageFlags)r.Flags;
        totals.Add(r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMs, r.TtftMs, r.Failed,
            flags.HasFlag(UsageFlags.Streamed), flags.HasFlag(UsageFlags.Estimated));
    }

    public static void Add(this UsageTotals totals, UsageRollupEntity r) =>
        totals.Merge(r.Requests, r.Errors, r.Streamed, r.Estimated, r.Unpriced, r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMsSum,
            LatencyHistogram.Parse(r.LatencyHistogram), LatencyHistogram.Parse(r.TtftHistogram));
}
