using Modelgate.Storage.Usage;

namespace Modelgate.Server.Hosting;

/// <summary>Reads the MODELGATE_USAGE_* settings (docs/configuration.md); a value that is not a positive number is an error at start.</summary>
internal static class UsageSettings
{
    public static UsageOptions From(IConfiguration configuration, string dataDirectory)
    {
        var defaults = new UsageOptions { SpillPath = Path.Combine(dataDirectory, "usage-spill.jsonl") };
        return defaults with
        {
            QueueCapacity = Number(configuration, "MODELGATE_USAGE_QUEUE_CAPACITY", defaults.QueueCapacity),
            BatchSize = Number(configuration, "MODELGATE_USAGE_BATCH_SIZE", defaults.BatchSize),
            RetentionDays = Number(configuration, "MODELGATE_USAGE_RETENTION_DAYS", defaults.RetentionDays),
            HourlyRetentionDays = Number(configuration, "MODELGATE_USAGE_HOURLY_RETENTION_DAYS", defaults.HourlyRetentionDays),
            RollupRetentionDays = Number(configuration, "MODELGATE_USAGE_ROLLUP_RETENTION_DAYS", defaults.RollupRetentionDays),
            SpendRefreshInterval = TimeSpan.FromSeconds(Number(configuration, "MODELGATE_USAGE_SPEND_REFRESH_SECONDS", (int)defaults.SpendRefreshInterval.TotalSeconds)),
            ReplayInterval = TimeSpan.FromSeconds(Number(configuration, "MODELGATE_USAGE_REPLAY_SECONDS", (int)defaults.ReplayInterval.TotalSeconds)),
            MaintenanceInterval = TimeSpan.FromMinutes(Number(configuration, "MODELGATE_USAGE_MAINTENANCE_MINUTES", (int)defaults.MaintenanceInterval.TotalMinutes)),
            Journal = Flag(configuration, "MODELGATE_USAGE_JOURNAL"),
        };
    }

    /// <summary>MODELGATE_USAGE_ENABLED: true unless set to false.</summary>
    public static bool Enabled(IConfiguration configuration) => Flag(configuration, "MODELGATE_USAGE_ENABLED");

    private static bool Flag(IConfiguration configuration, string name) => SettingValues.Flag(configuration, name, fallback: true);

    private static int Number(IConfiguration configuration, string name, int fallback) => SettingValues.Count(configuration, name, fallback);
}
