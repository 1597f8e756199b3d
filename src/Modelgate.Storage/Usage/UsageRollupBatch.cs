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

    /// <summary>Adds a call under its series, its model's and its key's (<see cref="RollupLevel"/>).</summary>
    public void Add(RawUsage call, int modelSeries, int keySeries)
    {
        var (hour, day) = (RollupGrain.Hour.UnitOf(call.AtMs), RollupGrain.Day.UnitOf(call.AtMs));
        AddAt(RollupLevel.Series, call.SeriesId);
        AddAt(RollupLevel.Model, modelSeries);
        AddAt(RollupLevel.Key, keySeries);

        void AddAt(int level, int series)
        {
            Totals(Hours, new RollupKey(level, hour, series, call.Status)).Add(call);
            Totals(Days, new RollupKey(level, day, series, call.Status)).Add(call);
        }
    }

    /// <summary>Adds a stored daily row (a day rolled up before rollups were kept by hour) to the day's totals, at each level.</summary>
    public void AddDay(int day, int status, (int Series, int Model, int Key) series, UsageTotals totals)
    {
        Totals(Days, new RollupKey(RollupLevel.Series, day, series.Series, status)).Merge(totals);
        Totals(Days, new RollupKey(RollupLevel.Model, day, series.Model, status)).Merge(totals);
        Totals(Days, new RollupKey(RollupLevel.Key, day, series.Key, status)).Merge(totals);
    }

    private static UsageTotals Totals(Dictionary<RollupKey, UsageTotals> sums, RollupKey key)
    {
        if (!sums.TryGetValue(key, out var totals))
        {
            sums[key] = totals = new UsageTotals();
        }

        return totals;
    }
}
