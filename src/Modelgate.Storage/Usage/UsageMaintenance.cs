using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Keeps usage storage bounded: raw records older than the retention period are summed into per-series daily
/// rollups (kept for ever) and deleted, one day per transaction, and the day from which raw records are complete is
/// advanced in the same transaction — so a query never sees a day twice or not at all. On PostgreSQL an advisory
/// lock lets one instance at a time do it.
/// </summary>
public sealed partial class UsageMaintenance(
    IDbContextFactory<ModelgateDbContext> contexts, UsageOptions options, TimeProvider time, ILogger<UsageMaintenance> logger) : BackgroundService
{
    private const long MaintenanceLockId = 0x4D47_5553_4147;

    /// <summary>Rolls up and deletes raw records of every day before today minus the retention; returns how many records went.</summary>
    public async Task<long> RollUpAndPruneAsync(CancellationToken cancellationToken)
    {
        var cutoffDay = SpendLedger.DayOf(time.GetUtcNow()) - options.RetentionDays;
        long pruned = 0;
        while (true)
        {
            await using var db = contexts.CreateDbContext();
            // On PostgreSQL one snapshot for the whole day: a record committed meanwhile (a late replay) is neither
            // summed nor deleted, and waits for the next run. SQLite serializes writers anyway.
            await using var transaction = db.Kind == DatabaseKind.Postgres
                ? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
                : await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.Kind == DatabaseKind.Postgres)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MaintenanceLockId})", cancellationToken);
            }

            var cutoffMs = cutoffDay * 86_400_000L;
            var oldest = await db.UsageRecords.Where(r => r.AtMs < cutoffMs).MinAsync(r => (long?)r.AtMs, cancellationToken);
            if (oldest is not { } first)
            {
                await SetRawSinceAsync(db, cutoffDay, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return pruned;
            }

            var day = (int)(first / 86_400_000);
            pruned += await RollUpDayAsync(db, day, cancellationToken);
            await SetRawSinceAsync(db, day + 1, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pruned = await RollUpAndPruneAsync(stoppingToken);
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

    private static async Task<long> RollUpDayAsync(ModelgateDbContext db, int day, CancellationToken cancellationToken)
    {
        var (fromMs, toMs) = (day * 86_400_000L, (day + 1) * 86_400_000L);
        var totals = new Dictionary<int, UsageTotals>();
        await UsageRows.ReadAsync(db, fromMs, toMs, null, r =>
        {
            if (!totals.TryGetValue(r.SeriesId, out var sum))
            {
                totals[r.SeriesId] = sum = new UsageTotals();
            }

            sum.Add(r);
        }, cancellationToken);

        // A day rolled up before (records replayed late) adds to its existing rows.
        var existing = await db.UsageRollups.Where(r => r.Day == day).ToDictionaryAsync(r => r.SeriesId, cancellationToken);
        foreach (var (series, sum) in totals)
        {
            if (existing.TryGetValue(series, out var row))
            {
                var merged = new UsageTotals();
                merged.Add(row);
                merged.Merge(sum);
                Fill(row, merged);
            }
            else
            {
                var added = new UsageRollupEntity { Day = day, SeriesId = series };
                Fill(added, sum);
                db.UsageRollups.Add(added);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return await db.UsageRecords.Where(r => r.AtMs >= fromMs && r.AtMs < toMs).ExecuteDeleteAsync(cancellationToken);
    }

    private static void Fill(UsageRollupEntity row, UsageTotals sum)
    {
        row.Requests = sum.Requests;
        row.Errors = sum.Errors;
        row.Streamed = sum.Streamed;
        row.Estimated = sum.Estimated;
        row.Unpriced = sum.Unpriced;
        row.InputTokens = sum.InputTokens;
        row.OutputTokens = sum.OutputTokens;
        row.CachedTokens = sum.CachedInputTokens;
        row.CostPicos = (long)Math.Min(sum.CostPicos, long.MaxValue);
        row.LatencyMsSum = sum.LatencyMsSum;
        row.LatencyHistogram = sum.Latency.ToString();
        row.TtftHistogram = sum.TimeToFirstToken.ToString();
    }

    private async Task SetRawSinceAsync(ModelgateDbContext db, int day, CancellationToken cancellationToken)
    {
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Key == UsageQuery.RawSinceSetting, cancellationToken);
        var current = row is not null && int.TryParse(row.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var stored) ? stored : 0;
        if (day <= current)
        {
            return;
        }

        var text = day.ToString(CultureInfo.InvariantCulture);
        if (row is null)
        {
            db.Settings.Add(new SettingEntity { Key = UsageQuery.RawSinceSetting, Value = text, UpdatedAt = time.UtcNow() });
        }
        else
        {
            row.Value = text;
            row.UpdatedAt = time.UtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolled up and pruned {Count} usage records older than {Days} days.")]
    private static partial void LogPruned(ILogger logger, long count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage maintenance failed ({Error}); it runs again at the next interval.")]
    private static partial void LogFailed(ILogger logger, string error);
}
