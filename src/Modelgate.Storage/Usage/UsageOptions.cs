namespace Modelgate.Storage.Usage;

/// <summary>How usage is written and kept (MODELGATE_USAGE_* settings; see docs/configuration.md).</summary>
public sealed record UsageOptions
{
    /// <summary>Records waiting for the writer at most; beyond it a record is dropped and counted, never waited for.</summary>
    public int QueueCapacity { get; init; } = 100_000;

    /// <summary>Records per database transaction at most.</summary>
    public int BatchSize { get; init; } = 20_000;

    /// <summary>How long the writer waits for more records before writing a batch that is not full.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Where batches go while the database cannot take them; replayed when it can.</summary>
    public required string SpillPath { get; init; }

    /// <summary>
    /// Every record is written to a journal file of this process as it is handed over, so a killed process loses
    /// none (see <see cref="UsageJournal"/>). Off only where the data folder cannot be written.
    /// </summary>
    public bool Journal { get; init; } = true;

    /// <summary>How often a spill file is tried again.</summary>
    public TimeSpan ReplayInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long raw records (one row per call) are kept, in days.</summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>How long hourly rollups are kept, in days (at least as long as raw records).</summary>
    public int HourlyRetentionDays { get; init; } = 45;

    /// <summary>How long daily rollups are kept, in days: the longest range usage can answer.</summary>
    public int RollupRetentionDays { get; init; } = 400;

    /// <summary>How often what is past its retention is deleted.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often budget spend is re-read from the database (spend by other instances shows up within this).</summary>
    public TimeSpan SpendRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a graceful stop waits for the queue to be written (then the rest is spilled).</summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
