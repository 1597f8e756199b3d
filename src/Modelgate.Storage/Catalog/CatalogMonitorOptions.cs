namespace Modelgate.Storage.Catalog;

/// <summary>How the catalog monitor watches the database.</summary>
public sealed record CatalogMonitorOptions(string LastKnownGoodPath)
{
    /// <summary>How often SQLite's data version is polled (and how long a PostgreSQL LISTEN waits per round).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>On PostgreSQL, how often the latest version is read even without a notification (the safety net).</summary>
    public TimeSpan SafetyCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause between attempts while the database is unreachable.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);
}
