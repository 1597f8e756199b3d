using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Keeps usage storage bounded: raw records older than <see cref="UsageOptions.RetentionDays"/>, hourly rollups older
/// than <see cref="UsageOptions.HourlyRetentionDays"/> and daily ones older than <see cref="UsageOptions.RollupRetentionDays"/>
/// are deleted in bounded batches (a few thousand rows per statement, each its own transaction), so neither the
/// writer nor a query ever waits long on it. Nothing needs summing first: the writer keeps the rollups as it writes.
/// The marks of what is complete (<see cref="UsageKept"/>) move before the rows go, so no query reads a day being
/// emptied. Several instances may run it at once; deleting what another already deleted costs nothing.
/// </summary>
public sealed partial class UsageMaintenance(
    IDbContextFactory<ModelgateDbContext> contexts, UsageOptions options, TimeProvider time, ILogger<UsageMaintenance> logger) : BackgroundService
{
    private const int BatchRows = 5_000;

    /// <summary>
    /// Deletes what is past its retention; returns how many raw records went. Each kind is kept at least as long as
    /// the finer one (hours as long as raw rows, days as long as hours), whatever the settings say. Nothing is deleted
    /// before the rollups have been built from an older version's rows (<see cref="UsageRollupBuild"/>).
    /// </summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        var today = SpendLedger.DayOf(time.GetUtcNow());
        var hourDays = Math.Max(options.HourlyRetentionDays, options.RetentionDays);
        var (rawCut, hoursCut, daysCut) = (today - options.RetentionDays, today - hourDays, today - Math.Max(options.RollupRetentionDays, hourDays));
        await using (var db = contexts.CreateDbContext())
        {
            if (!await db.Settings.AnyAsync(s => s.Key == UsageRollupBuild.DoneSetting, cancellationToken))
            {
                return 0;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await UsageKept.AdvanceAsync(db, UsageKept.RawSetting, rawCut, time.UtcNow(), cancellationToken);
            await UsageKept.AdvanceAsync(db, UsageKept.HoursSetting, hoursCut, time.UtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var raw = await DeleteRawAsync(rawCut * 86_400_000L, cancellationToken);
        await DeleteUnitsAsync(RollupGrain.Hour, hoursCut * 24L, cancellationToken);
        await DeleteUnitsAsync(RollupGrain.Day, daysCut, cancellationToken);
        return raw;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pruned = await PruneAsync(stoppingToken);
                if (pruned > 0)
                {
                    LogPruned(logger, pruned, options.RetentionDays);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.GetType().Name);
            }

            try
            {
                await Task.Delay(options.MaintenanceInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Raw rows before the cut, a batch of ids at a time (SQLite has no DELETE ... LIMIT; the sub-select works on both).
    private async Task<long> DeleteRawAsync(long cutMs, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            await using var db = contexts.CreateDbContext();
            var sql = db.Kind == DatabaseKind.Postgres
                ? "DELETE FROM usage_records WHERE id = ANY(ARRAY(SELECT id FROM usage_records WHERE at_ms < {0} LIMIT {1}))"
                : "DELETE FROM usage_records WHERE id IN (SELECT id FROM usage_records WHERE at_ms < {0} LIMIT {1})";
            var batch = await db.Database.ExecuteSqlRawAsync(sql, [cutMs, BatchRows], cancellationToken);
            deleted += batch;
            if (batch < BatchRows)
            {
                return deleted;
            }
        }
    }

    // Rollup rows before the cut, one level's hour or day at a time (a unit holds a row per series and status seen in it).
    private async Task DeleteUnitsAsync(RollupGrain grain, long cut, CancellationToken cancellationToken)
    {
        foreach (var level in RollupLevel.All)
        {
            while (true)
            {
                await using var db = contexts.CreateDbContext();
                var oldest = grain == RollupGrain.Hour
                    ? await db.UsageHourly.Where(r => r.Level == level && r.Hour < cut).MinAsync(r => (int?)r.Hour, cancellationToken)
                    : await db.UsageDaily.Where(r => r.Level == level && r.Day < cut).MinAsync(r => (int?)r.Day, cancellationToken);
                if (oldest is not { } unit)
                {
                    break;
                }

                _ = grain == RollupGrain.Hour
                    ? await db.UsageHourly.Where(r => r.Level == level && r.Hour == unit).ExecuteDeleteAsync(cancellationToken)
                    : await db.UsageDaily.Where(r => r.Level == level && r.Day == unit).ExecuteDeleteAsync(cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} usage records older than {Days} days (their hourly and daily rollups are kept longer).")]
    private static partial void LogPruned(ILogger logger, long count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage maintenance failed ({Error}); it runs again at the next interval.")]
    private static partial void LogFailed(ILogger logger, string error);
}
