namespace Modelgate.Storage.Usage;

/// <summary>A rollup table and the span of time one of its rows sums: <c>usage_hourly</c> by hour, <c>usage_daily</c> by UTC day.</summary>
internal sealed record RollupGrain(string Table, string Column, long Milliseconds)
{
    public static readonly RollupGrain Hour = new("usage_hourly", "hour", 3_600_000);
    public static readonly RollupGrain Day = new("usage_daily", "day", 86_400_000);

    /// <summary>The hour or day a moment (Unix milliseconds) falls in.</summary>
    public int UnitOf(long atMs) => (int)(atMs / Milliseconds - (atMs % Milliseconds < 0 ? 1 : 0));
}
