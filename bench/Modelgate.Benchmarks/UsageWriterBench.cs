using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Usage;
using Modelgate.Storage;
using Modelgate.Storage.Usage;

namespace Modelgate.Benchmarks;

/// <summary>
/// Throughput of the usage writer into a real database, and the stored size of a usage row. Not a
/// BenchmarkDotNet benchmark: it writes a few hundred thousand records through <see cref="UsageWriter"/> as the
/// gateway would (record, then the background loop batches them) and reports records per second from the first
/// record to the last one committed. Run by bench/usage/run.sh.
/// </summary>
internal static class UsageWriterBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var kind = args[1] == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite;
        var connection = args[2];
        var count = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var options = new DatabaseOptions(kind, connection);
        var contexts = new ModelgateDbContextFactory(options);
        await new DatabaseInitializer(contexts, options).MigrateAsync(CancellationToken.None);
        var data = Path.Combine(Path.GetTempPath(), "modelgate-usage-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var usage = new UsageOptions { SpillPath = Path.Combine(data, "spill.jsonl"), QueueCapacity = count + 1 };
        var metrics = new UsageMetrics();
        var writer = new UsageWriter(contexts, usage, metrics, new SpendLedger(contexts, TimeProvider.System), TimeProvider.System, NullLogger<UsageWriter>.Instance);

        // Warm-up: the series and the EF model, outside the measurement.
        await writer.StartAsync(CancellationToken.None);
        foreach (var record in SyntheticUsage.Records(2_000, SyntheticUsage.DefaultModels, DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromMilliseconds(1)))
        {
            writer.Record(record);
        }

        while (metrics.Written < 2_000)
        {
            await Task.Delay(10);
        }

        (long Table, long Total) sizeBefore;
        await using (var before = contexts.CreateDbContext())
        {
            sizeBefore = await SizeAsync(before, kind);
        }

        var records = SyntheticUsage.Records(count, SyntheticUsage.DefaultModels, DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromMilliseconds(1)).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var record in records)
        {
            writer.Record(record);
        }

        var recorded = clock.Elapsed;
        while (metrics.Written < 2_000 + count)
        {
            await Task.Delay(5);
        }

        var written = clock.Elapsed;
        await writer.StoppedAsync(CancellationToken.None);

        await using var db = contexts.CreateDbContext();
        var rows = await db.UsageRecords.LongCountAsync();
        var (table, total) = await SizeAsync(db, kind);
        if (kind == DatabaseKind.Sqlite)
        {
            // The whole file, less what it held before the measured rows (schema, catalog, warm-up rows).
            (table, total) = (table - sizeBefore.Table, total - sizeBefore.Total);
            rows -= 2_000;
        }

        Console.WriteLine($"database       {kind}");
        Console.WriteLine($"records        {count:N0} (+2,000 warm-up), dropped {metrics.Dropped}, spilled {metrics.Spilled}");
        Console.WriteLine($"record calls   {recorded.TotalMilliseconds:F0} ms ({count / recorded.TotalSeconds:N0} records/s handed over; the request path's cost)");
        Console.WriteLine($"written        {written.TotalSeconds:F2} s -> {count / written.TotalSeconds:N0} records/s committed");
        Console.WriteLine(kind == DatabaseKind.Sqlite
            ? $"row size       {total / (double)rows:F0} bytes/row, table and indexes (file growth over {rows:N0} rows)"
            : $"row size       {table / (double)rows:F0} bytes/row table only, {total / (double)rows:F0} bytes/row with indexes ({rows:N0} rows)");
        return metrics.Dropped == 0 && metrics.Spilled == 0 ? 0 : 1;
    }

    // Bytes on disk for usage_records: the table alone, and with its indexes.
    private static async Task<(long Table, long Total)> SizeAsync(ModelgateDbContext db, DatabaseKind kind)
    {
        if (kind == DatabaseKind.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE usage_records");
            var table = await db.Database.SqlQueryRaw<long>("SELECT pg_relation_size('usage_records') AS \"Value\"").SingleAsync();
            var total = await db.Database.SqlQueryRaw<long>("SELECT pg_total_relation_size('usage_records') AS \"Value\"").SingleAsync();
            return (table, total);
        }

        // No dbstat in the bundled SQLite: the pages the file uses, less the free ones (nothing but usage is written here).
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var pages = await db.Database.SqlQueryRaw<long>("SELECT page_count AS \"Value\" FROM pragma_page_count()").SingleAsync();
        var free = await db.Database.SqlQueryRaw<long>("SELECT freelist_count AS \"Value\" FROM pragma_freelist_count()").SingleAsync();
        var size = await db.Database.SqlQueryRaw<long>("SELECT page_size AS \"Value\" FROM pragma_page_size()").SingleAsync();
        var used = (pages - free) * size;
        return (used, used);
    }
}
