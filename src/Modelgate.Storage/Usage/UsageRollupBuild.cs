using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Once, on the first start after the upgrade that added hourly and daily rollups: builds them from what the database
/// already holds — raw rows (by hour and day) and the daily rollups of older versions (<c>usage_rollups</c>, which
/// had no status: their rows become status 0, and are left where they are) — one UTC day per transaction, in order.
/// A day is rebuilt whole: its rollup rows are replaced by the sums of its raw and old rows, which include anything a
/// writer added meanwhile; on PostgreSQL the rollup tables are locked against writers for that transaction (readers
/// go on), on SQLite the transaction holds the write lock anyway. The same transaction moves a progress mark past the
/// day, and a day the mark has passed is skipped: two instances starting at once build each day once, and a build
/// cut short resumes where it stopped.
/// </summary>
internal static class UsageRollupBuild
{
    public const string DoneSetting = "usage.rollups_built";
    public const string ProgressSetting = "usage.rollups_built_before_day";
    private static readonly long DayMs = RollupGrain.Day.Milliseconds;
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
        var cache = new UsageSeriesCache();
        foreach (var day in await DaysAsync(contexts, cancellationToken))
        {
            days += await BuildDayAsync(contexts, day, cache, time, cancellationToken) ? 1 : 0;
        }

        await using (var db = contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.Kind == DatabaseKind.Postgres)
            {
                await db.Database.ExecuteSqlRawAsync("LOCK TABLE usage_hourly, usage_daily IN EXCLUSIVE MODE", cancellationToken);
            }

            if (await db.Settings.AnyAsync(s => s.Key == DoneSetting, cancellationToken))
            {
                // Another instance finished first (and its retention may have moved the marks since).
                return days;
            }

            // Hours exist where raw rows did: days already summed into daily rows only are read by day.
            var kept = await UsageKept.ReadAsync(db, cancellationToken);
            await UsageKept.AdvanceAsync(db, UsageKept.HoursSetting, kept.RawSinceDay, time.UtcNow(), cancellationToken);
            await UsageKept.AdvanceAsync(db, DoneSetting, 1, time.UtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return days;
    }

    // The days with raw rows or old daily rollups, in order, past the progress mark. Each day is checked by a range
    // of at_ms (which the at_ms index answers) between the oldest and newest row, found once.
    private static async Task<List<long>> DaysAsync(IDbContextFactory<ModelgateDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var builtBefore = await ProgressAsync(db, cancellationToken) ?? int.MinValue;
        var days = new SortedSet<long>((await db.UsageRollups.Select(r => r.Day).Distinct().ToListAsync(cancellationToken)).Select(d => (long)d));
        if (await db.UsageRecords.MinAsync(r => (long?)r.AtMs, cancellationToken) is { } first && await db.UsageRecords.MaxAsync(r => (long?)r.AtMs, cancellationToken) is { } last)
        {
            for (long day = Math.Max(RollupGrain.Day.UnitOf(first), builtBefore); day <= RollupGrain.Day.UnitOf(last); day++)
            {
                var (fromMs, toMs) = (day * DayMs, (day + 1) * DayMs);
                if (await db.UsageRecords.AnyAsync(r => r.AtMs >= fromMs && r.AtMs < toMs, cancellationToken))
                {
                    days.Add(day);
                }
            }
        }

        return [.. days.Where(d => d >= builtBefore)];
    }

    // Reads the series (in reader's transaction) and finds or creates their model and key series (with creator).
    private static async Task AddProjectionsAsync(ModelgateDbContext reader, ModelgateDbContext creator, UsageSeriesCache cache,
        Dictionary<int, (int Series, int Model, int Key)> projections, CancellationToken cancellationToken)
    {
        foreach (var s in (await reader.UsageSeries.AsNoTracking().Where(s => s.Source != "").ToListAsync(cancellationToken)).Where(s => !projections.ContainsKey(s.Id)))
        {
            var key = SeriesKey.Of(s);
            projections[s.Id] = (s.Id, cache.Id(creator, key.Model), cache.Id(creator, key.Key));
        }
    }

    private static Task<int?> ProgressAsync(ModelgateDbContext db, CancellationToken cancellationToken) =>
        UsageKept.MarkAsync(db, ProgressSetting, cancellationToken);

    // False when another instance built the day first.
    private static async Task<bool> BuildDayAsync(IDbContextFactory<ModelgateDbContext> contexts, long day, UsageSeriesCache cache, TimeProvider time,
        CancellationToken cancellationToken)
    {
        // Each series' model and key series, created as the writer creates them: outside the day's transaction (on
        // PostgreSQL a writer creating the same one at the same moment would otherwise abort it).
        var projections = new Dictionary<int, (int Series, int Model, int Key)>();
        await using (var outside = contexts.CreateDbContext())
        {
            await AddProjectionsAsync(outside, outside, cache, projections, cancellationToken);
        }

        await using var db = contexts.CreateDbContext();
        db.Database.SetCommandTimeout(TimeoutSeconds);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Postgres)
        {
            // Writers wait (they add to rollups after this commits, on top of the rebuilt day); readers do not.
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE usage_hourly, usage_daily IN EXCLUSIVE MODE", cancellationToken);
        }

        var (firstHour, dayNumber) = ((int)(day * 24), (int)day);
        if (await ProgressAsync(db, cancellationToken) > dayNumber)
        {
            return false;
        }

        foreach (var level in RollupLevel.All)
        {
            await db.UsageHourly.Where(r => r.Level == level && r.Hour >= firstHour && r.Hour < firstHour + 24).ExecuteDeleteAsync(cancellationToken);
            await db.UsageDaily.Where(r => r.Level == level && r.Day == dayNumber).ExecuteDeleteAsync(cancellationToken);
        }

        // Series created since (by a writer whose rows are now committed): on SQLite this transaction is the only writer,
        // on PostgreSQL another connection creates their projections.
        if (db.Kind == DatabaseKind.Sqlite)
        {
            await AddProjectionsAsync(db, db, cache, projections, cancellationToken);
        }
        else
        {
            await using var outside = contexts.CreateDbContext();
            await AddProjectionsAsync(db, outside, cache, projections, cancellationToken);
        }

        var batch = new UsageRollupBatch();
        await UsageRows.ReadAsync(db, day * DayMs, (day + 1) * DayMs, null,
            call => batch.Add(call, projections[call.SeriesId].Model, projections[call.SeriesId].Key), cancellationToken);
        foreach (var old in await db.UsageRollups.AsNoTracking().Where(r => r.Day == dayNumber).ToListAsync(cancellationToken))
        {
            var totals = new UsageTotals();
            totals.Add(old);
            batch.AddDay(dayNumber, 0, projections[old.SeriesId], totals);
        }

        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        UsageRollups.Add(connection, dbTransaction, RollupGrain.Hour, batch.Hours, TimeoutSeconds);
        UsageRollups.Add(connection, dbTransaction, RollupGrain.Day, batch.Days, TimeoutSeconds);
        await UsageKept.AdvanceAsync(db, ProgressSetting, dayNumber + 1, time.UtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
