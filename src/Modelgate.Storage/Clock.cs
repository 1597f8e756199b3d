namespace Modelgate.Storage;

/// <summary>Timestamps as the databases keep them: UTC, to the microsecond (PostgreSQL's precision), so what the API returns is what is stored.</summary>
internal static class Clock
{
    public static DateTime UtcNow(this TimeProvider time) => Stored(time.GetUtcNow().UtcDateTime);

    /// <summary>A UTC timestamp cut to the microsecond.</summary>
    public static DateTime Stored(DateTime value) => new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);
}
