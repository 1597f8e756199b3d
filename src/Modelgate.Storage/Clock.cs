namespace Modelgate.Storage;

/// <summary>Timestamps as the databases keep them: UTC, to the microsecond (PostgreSQL's precision), so what the API returns is what is stored.</summary>
internal static class Clock
{
    public static DateTime UtcNow(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
