using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Usage;
using Modelgate.Storage.Usage;
using Modelgate.Testing;
using Npgsql;

namespace Modelgate.Storage.Tests;

/// <summary>The usage writer, rollups and retention against both databases.</summary>
public sealed class UsageWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(TestDatabase Database, ModelgateDbContextFactory Contexts)> DatabaseAsync(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        await new DatabaseInitializer(contexts, database.Options).MigrateAsync(CancellationToken.None);
        return (database, contexts);
    }

    private static UsageWriter Writer(ModelgateDbContextFactory contexts, TimeProvider time, string spill, int capacity = 1000, UsageMetrics? metrics = null, TimeSpan? replay = null) =>
        new(contexts, new UsageOptions { SpillPath = spill, QueueCapacity = capacity, BatchSize = 100, ReplayInterval = replay ?? TimeSpan.FromMilliseconds(100) },
            metrics ?? new UsageMetrics(), new SpendLedger(contexts, time), time, NullLogger<UsageWriter>.Instance);

    private static UsageRecord Call(DateTimeOffset at, string model = "gpt-x", long input = 100, long output = 10, decimal? cost = 0.0001m, int latency = 50, int status = 200) => new()
    {
        RequestId = Guid.NewGuid(), At = at, ModelName = model, ModelId = ModelIds.GetOrAdd(model, _ => Guid.NewGuid()), ProviderName = "p", Purpose = "chat",
        Tokens = new TokenCounts(input, output), Cost = cost, LatencyMs = latency, Status = status, ErrorClass = status >= 400 ? "upstream_error" : null,
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> ModelIds = new();

    private static async Task<long> RowsAsync(ModelgateDbContextFactory contexts)
    {
        await using var db = contexts.CreateDbContext();
        return await db.UsageRecords.LongCountAsync();
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task StoppingTheWriter_WritesEverythingStillQueued(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, TimeProvider.System, Path.Combine(database.DataDirectory.Path, "spill.jsonl"));
        for (var i = 0; i < 250; i++)
        {
            writer.Record(Call(Now.AddSeconds(i)));
        }

        Assert.Equal(250, writer.Queued);
        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.Equal(250, await RowsAsync(contexts));
        Assert.False(File.Exists(Path.Combine(database.DataDirectory.Path, "spill.jsonl")));
    }

    [Fact]
    public async Task FullQueue_DropsAndCountsTheRecord_WithoutWaiting()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        var metrics = new UsageMetrics();
        var writer = Writer(contexts, TimeProvider.System, Path.Combine(database.DataDirectory.Path, "spill.jsonl"), capacity: 3, metrics);

        for (var i = 0; i < 5; i++)
        {
            writer.Record(Call(Now));
        }

        Assert.Equal(2, metrics.Dropped);
        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);
        Assert.Equal(3, await RowsAsync(contexts));
        Assert.Equal(3, metrics.Written);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task DatabaseDown_BatchesGoToTheSpillFile_AndAreReplayedWhenItIsBack(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var spill = Path.Combine(database.DataDirectory.Path, "spill.jsonl");
        var metrics = new UsageMetrics();
        var writer = Writer(contexts, TimeProvider.System, spill, metrics: metrics);
        await writer.StartAsync(CancellationToken.None);

        await SetAvailableAsync(database, available: false);
        for (var i = 0; i < 20; i++)
        {
            writer.Record(Call(Now.AddSeconds(i)));
        }

        await Eventually(() => Task.FromResult(metrics.Spilled == 20));
        Assert.True(File.Exists(spill) || File.Exists(spill + ".replaying"));
        await SetAvailableAsync(database, available: true);

        await Eventually(async () => await RowsAsync(contexts) == 20);
        await Eventually(() => Task.FromResult(!File.Exists(spill) && !File.Exists(spill + ".replaying")));
        await writer.StoppedAsync(CancellationToken.None);
        Assert.Equal(20, await RowsAsync(contexts));
    }

    [Fact]
    public async Task PostgresRestarted_WhileRecordsKeepComing_IsWrittenToAgainWithoutWaitingForALull()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var dataDirectory = new TempDirectory();
        var options = DatabaseOptions.From(postgres.ConnectionString, dataDirectory.Path);
        var contexts = new ModelgateDbContextFactory(options);
        await new DatabaseInitializer(contexts, options).MigrateAsync(CancellationToken.None);
        var metrics = new UsageMetrics();
        var writer = Writer(contexts, TimeProvider.System, Path.Combine(dataDirectory.Path, "spill.jsonl"), capacity: 100_000, metrics,
            replay: TimeSpan.FromSeconds(1));
        await writer.StartAsync(CancellationToken.None);
        var recorded = 0;
        using var stop = new CancellationTokenSource();
        // Steady traffic throughout: a record every 5 ms, before, during and after the outage, so the writer spills a batch
        // every linger (100 ms), well inside the replay interval (1 s).
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                writer.Record(Call(Now.AddMilliseconds(recorded)));
                Interlocked.Increment(ref recorded);
                await Task.Delay(5);
            }
        });

        await Task.Delay(300);
        await postgres.StopAsync();
        await Eventually(() => Task.FromResult(metrics.Spilled > 50));
        await postgres.StartAgainAsync();
        var beforeRestart = Volatile.Read(ref recorded);

        // Everything recorded until the restart reaches the database while records still arrive.
        await Eventually(async () => await RowsOrZeroAsync(contexts) >= beforeRestart);
        Assert.False(traffic.IsCompleted);
        await stop.CancelAsync();
        await traffic;
        await writer.StoppedAsync(CancellationToken.None);
        Assert.Equal(recorded, await RowsAsync(contexts));
    }

    private static async Task<long> RowsOrZeroAsync(ModelgateDbContextFactory contexts)
    {
        try
        {
            return await RowsAsync(contexts);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task JournalOfAProcessThatDied_IsReplayedAtTheNextStart_WithoutCountingAnythingTwice()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        var spill = Path.Combine(database.DataDirectory.Path, "spill.jsonl");
        var calls = Enumerable.Range(0, 30).Select(i => Call(Now.AddSeconds(i))).ToList();
        // The dead process had written the first ten; its journal still held all thirty, the last line cut by the kill.
        var writer = Writer(contexts, TimeProvider.System, spill);
        await writer.WriteAsync(calls[..10], CancellationToken.None);
        var lines = calls.Select(c => System.Text.Json.JsonSerializer.Serialize(c, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        await File.WriteAllTextAsync(Path.Combine(database.DataDirectory.Path, "usage-journal-4242-0badf00d-000003.jsonl"), string.Join('\n', lines) + "\n{\"requestId\":\"");

        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.Equal(30, await RowsAsync(contexts));
        Assert.Empty(Directory.GetFiles(database.DataDirectory.Path, "usage-journal-*"));
    }

    [Fact]
    public async Task JournalOfALiveWriter_IsLeftToIt_AndGoneOnceItsRecordsAreWritten()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        var spill = Path.Combine(database.DataDirectory.Path, "spill.jsonl");
        var first = Writer(contexts, TimeProvider.System, spill);
        for (var i = 0; i < 5; i++)
        {
            first.Record(Call(Now.AddSeconds(i)));
        }

        // Held open by its writer: no other process may read or take it.
        var journal = Assert.Single(Directory.GetFiles(database.DataDirectory.Path, "usage-journal-*"));
        Assert.Throws<IOException>(() => File.ReadAllLines(journal));

        // Another process sharing the data folder starts: the first writer's journal is not its to take.
        var second = Writer(contexts, TimeProvider.System, spill);
        await second.StartAsync(CancellationToken.None);
        await second.StoppedAsync(CancellationToken.None);
        Assert.True(File.Exists(journal));
        Assert.False(File.Exists(spill));
        Assert.Equal(0, await RowsAsync(contexts));

        await first.StartAsync(CancellationToken.None);
        await first.StoppedAsync(CancellationToken.None);
        Assert.Equal(5, await RowsAsync(contexts));
        Assert.Empty(Directory.GetFiles(database.DataDirectory.Path, "usage-journal-*"));
    }

    [Fact]
    public async Task ReplayedSpillFile_NeverCountsACallTwice()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        var spill = Path.Combine(database.DataDirectory.Path, "spill.jsonl");
        var calls = Enumerable.Range(0, 6).Select(i => Call(Now.AddSeconds(i))).ToList();
        var writer = Writer(contexts, TimeProvider.System, spill);
        // A crash after the database took the first three but before the spill file was removed.
        await writer.WriteAsync(calls[..3], CancellationToken.None);
        new UsageSpill(spill).Append(calls);

        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.Equal(6, await RowsAsync(contexts));
        Assert.False(File.Exists(spill + ".replaying"));
        await using var db = contexts.CreateDbContext();
        foreach (var level in new[] { 0, 1, 2 })
        {
            Assert.Equal(6, await db.UsageHourly.Where(r => r.Level == level).SumAsync(r => r.Requests));
            Assert.Equal(6, await db.UsageDaily.Where(r => r.Level == level).SumAsync(r => r.Requests));
            Assert.Equal(6 * 100, await db.UsageDaily.Where(r => r.Level == level).SumAsync(r => r.InputTokens));
        }
    }

    [Fact]
    public async Task ReplayWhileTheDatabaseIsBusy_SetsNothingAside_AndWritesItAllOnceItIsFree()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Postgres);
        await using var _ = database;
        var spill = Path.Combine(database.DataDirectory.Path, "spill.jsonl");
        var calls = Enumerable.Range(0, 3).Select(i => Call(Now.AddSeconds(i))).ToList();
        new UsageSpill(spill).Append(calls);
        var writer = Writer(contexts, TimeProvider.System, spill);
        await using (var locker = new NpgsqlConnection(database.Options.ConnectionString))
        {
            await locker.OpenAsync();
            await using var transaction = await locker.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("LOCK TABLE usage_records IN ACCESS EXCLUSIVE MODE", locker, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            // The replay waits for the lock until its command times out: busy, not a refusal.
            await writer.StartAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(11));
            Assert.False(File.Exists(spill + ".rejected"));
            await transaction.RollbackAsync();
        }

        await Eventually(async () => await RowsAsync(contexts) == 3);
        await writer.StoppedAsync(CancellationToken.None);
        Assert.False(File.Exists(spill + ".rejected"));
        Assert.False(File.Exists(spill + ".replaying"));
    }

    [Fact]
    public void SpillFileCutMidLineByACrash_LosesOnlyTheCutRecord()
    {
        using var folder = new TempDirectory();
        var spill = new UsageSpill(Path.Combine(folder.Path, "spill.jsonl"));
        var calls = Enumerable.Range(0, 3).Select(i => Call(Now.AddSeconds(i))).ToList();
        spill.Append(calls[..1]);
        File.AppendAllText(Path.Combine(folder.Path, "spill.jsonl"), "{\"requestId\":\"0192");

        spill.Append(calls[1..]);

        Assert.Equal(calls.Select(c => c.RequestId), spill.ReadForReplay().Select(r => r.RequestId));
    }

    [Fact]
    public async Task RecordTheDatabaseRefuses_IsSetAside_AndTheRestOfTheSpillFileIsWritten()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        await database.ExecuteAsync("CREATE TRIGGER refuse BEFORE INSERT ON usage_records WHEN NEW.latency_ms = 4242 BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        var spill = Path.Combine(database.DataDirectory.Path, "spill.jsonl");
        var calls = Enumerable.Range(0, 5).Select(i => Call(Now.AddSeconds(i), latency: i == 2 ? 4242 : 10)).ToList();
        new UsageSpill(spill).Append(calls);
        var metrics = new UsageMetrics();
        var writer = Writer(contexts, TimeProvider.System, spill, metrics: metrics);

        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.Equal(4, await RowsAsync(contexts));
        Assert.Equal(1, metrics.Dropped);
        Assert.Contains(calls[2].RequestId.ToString(), await File.ReadAllTextAsync(spill + ".rejected"), StringComparison.Ordinal);
        Assert.False(File.Exists(spill + ".replaying"));
    }

    [Fact]
    public void LatencyHistogram_PercentilesAreWithinTwoPercent_AndMergeExactly()
    {
        var all = new LatencyHistogram();
        var (first, second) = (new LatencyHistogram(), new LatencyHistogram());
        for (var i = 1; i <= 1000; i++)
        {
            all.Add(i);
            (i % 2 == 0 ? first : second).Add(i);
        }

        first.Merge(second);
        Assert.InRange(all.Percentile(0.5)!.Value, 490, 510);
        Assert.InRange(all.Percentile(0.95)!.Value, 931, 969);
        Assert.InRange(all.Percentile(0.99)!.Value, 970, 1010);
        Assert.Equal(all.ToString(), first.ToString());
        Assert.Equal(all.ToString(), LatencyHistogram.Parse(all.ToString()).ToString());
        Assert.Null(new LatencyHistogram().Percentile(0.5));
    }

    private static List<string> Describe(IReadOnlyList<UsageGroup> groups) =>
        [.. groups.Select(g => $"{g.Keys["model"]} {g.Keys["day"]} requests={g.Totals.Requests} errors={g.Totals.Errors} unpriced={g.Totals.Unpriced} " +
            $"tokens={g.Totals.InputTokens}/{g.Totals.OutputTokens} cost={g.Totals.CostUsd} p50={g.Totals.Latency.Percentile(0.5)}").Order(StringComparer.Ordinal)];

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition(), "the condition did not become true within 10 s");
    }

    // SQLite: the file goes away (Modelgate never creates it outside start-up); PostgreSQL: the database refuses connections.
    private static async Task SetAvailableAsync(TestDatabase database, bool available)
    {
        if (database.Options.Kind == DatabaseKind.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.Options.ConnectionString).DataSource;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (available ? File.Exists(file + suffix + ".away") : File.Exists(file + suffix))
                {
                    File.Move(available ? file + suffix + ".away" : file + suffix, available ? file + suffix : file + suffix + ".away");
                }
            }

            return;
        }

        var name = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString).Database;
        await using var connection = new NpgsqlConnection(TestDatabase.PostgresServer);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = available
            ? $"ALTER DATABASE {name} ALLOW_CONNECTIONS true"
            : $"ALTER DATABASE {name} ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'";
        await command.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }
}
