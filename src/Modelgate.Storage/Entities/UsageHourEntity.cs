namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>usage_hourly</c>: one series and status in one UTC hour.</summary>
public sealed class UsageHourEntity : UsageRollupColumns
{
    /// <summary>Hours since 1970-01-01T00:00Z.</summary>
    public int Hour { get; set; }
}
