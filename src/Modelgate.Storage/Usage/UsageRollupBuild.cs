using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Once, on the first start after the upgrade that added hourly and daily rollups: builds them from what the database
/// already holds — raw rows (by hour and day) and the daily rollups of older versions (<c>usage_rollups</c>, which
/// had no status: their rows become status 0) — one UTC day per transaction. A day is rebuilt whole: its rollup rows
/// are replaced by the sums of its raw rows, which include anything a writer added meanwhile; on PostgreSQL the
/// rollup tables are locked against writers for that transaction (readers go on), on SQLite the transaction holds the
/// write lock anyway. A build cut short starts over at the next start (rebuilding a day twice changes nothing).
/// </summary>
internal static class UsageRollupBuild
{
    public const string DoneSetting = "usage.rollups_built";
    private const long DayMs = 86_400_000;
    private const int TimeoutSeconds = 300;

    /// <summary>Returns how many days were built (0 when done before).</summary>
    public static async Task<int> RunAsync(IDbContextFactory<ModelgateDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            if (await db.Settings.AnyAsync(s => s.Key == DoneSetting, cancellationToken))
            {
                return 0;
            }
        }

        var days = 0;
        for (var day = await NextDayAsync(contexts, long.MinValue, cancellationToken); day is { } d; day = await NextDayAsync(contexts, d, cancellationToken))
        {
            await BuildDayAsync(contexts, d, cancellationToken);
            days++;
        }

        await using (var db = contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Hours exist where raw rows did: days already summed into daily rows only are read by day.
            var kept = await UsageKept.ReadAsync(db, cancellationToken);
            await UsageKept.AdvanceAsync(db, UsageKept.HoursSetting, kept.RawSinceDay, time.UtcNow(), cancellationToken);
            await UsageKept.AdvanceAsync(db, DoneSetting, 1, time.UtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return days;
    }

    // The first day after the given one with raw rows or old daily rollups.
    private static async Task<long?> NextDayAsync(IDbContextFactory<ModelgateDbContext> contexts, long after, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var fromMs = after == long.MinValue ? long.MinValue : (after + 1) * DayMs;
        var raw = await db.UsageRecords.Where(r => r.AtMs >= fromMs).MinAsync(r => (long?)r.AtMs, cancellationToken) is { } ms ? ms / DayMs - (ms % DayMs < 0 ? 1 : 0) : (long?)null;
        var fromDay = after == long.MinValue ? int.MinValue : (int)(after + 1);
        var legacy = await db.UsageRollups.Where(r => r.Day >= fromDay).MinAsync(r => (int?)r.Day, cancellationToken);
        return (raw, legacy) switch
        {
            (null, null) => null,
            ({ } r, null) => r,
            (null, { } l) => l,
            ({ } r, { } l) => Math.Min(r, l),
        };
    }

    private static async Task BuildDayAsync(IDbContextFactory<ModelgateDbContext> contexts, long day, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        db.Database.SetCommandTimeout(TimeoutSeconds);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Postgres)
        {
            // Writers wait (they add to rollups after this commits, on top of the rebuilt day); readers do not.
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE usage_hourly, usage_daily IN EXCLUSIVE MODE", cancellationToken);
        }

        var (firstHour, dayNumber) = ((int)(day * 24), (int)day);
        await db.UsageHourly.Where(r => r.Hour >= firstHour && r.Hour < firstHour + 24).ExecuteDeleteAsync(cancellationToken);
        await db.UsageDaily.Where(r => r.Day == dayNumber).ExecuteDeleteAsync(cancellationToken);

        var batch = new UsageRollupBatch();
        await UsageRows.ReadAsync(db, day * DayMs, (day + 1) * DayMs, null, batch.Add, cancellationToken);
        foreach (var old in await db.UsageRollups.AsNoTracking().Where(r => r.Day == dayNumber).ToListAsync(cancellationToken))
        {
            var totals = new UsageTotals();
            totals.Add(old);
            batch.AddDay(new RollupKey(dayNumber, old.SeriesId, 0), totals);
        }

        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        UsageRollups.Add(connection, dbTransaction, RollupGrain.Hour, batch.Hours, TimeoutSeconds);
        UsageRollups.Add(connection, dbTransaction, RollupGrain.Day, batch.Days, TimeoutSeconds);
        await db.UsageRollups.Where(r => r.Day == dayNumber).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
