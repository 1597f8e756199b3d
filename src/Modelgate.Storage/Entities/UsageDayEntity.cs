namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>usage_daily</c>: one series and status on one UTC day.</summary>
public sealed class UsageDayEntity : UsageRollupColumns
{
    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public int Day { get; set; }
}
