using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// The calls of one write summed per hour and per day, series and status, before they are added to the rollup
/// tables: a batch touches as many rollup rows as it has distinct keys, not as many as it has calls.
/// </summary>
internal sealed class UsageRollupBatch
{
    public Dictionary<RollupKey, UsageTotals> Hours { get; } = [];
    public Dictionary<RollupKey, UsageTotals> Days { get; } = [];

    public bool IsEmpty => Hours.Count == 0 && Days.Count == 0;

    public void Add(RawUsage call)
    {
        Totals(Hours, new RollupKey(RollupGrain.Hour.UnitOf(call.AtMs), call.SeriesId, call.Status)).Add(call);
        Totals(Days, new RollupKey(RollupGrain.Day.UnitOf(call.AtMs), call.SeriesId, call.Status)).Add(call);
    }

    /// <summary>Adds a stored daily row (a day rolled up before rollups were kept by hour) to the day's totals.</summary>
    public void AddDay(RollupKey key, UsageTotals totals) => Totals(Days, key).Merge(totals);

    private static UsageTotals Totals(Dictionary<RollupKey, UsageTotals> sums, RollupKey key)
    {
        if (!sums.TryGetValue(key, out var totals))
        {
            sums[key] = totals = new UsageTotals();
        }

        return totals;
    }
}
