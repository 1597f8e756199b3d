using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;
using Modelgate.Storage.Usage;
using Modelgate.Testing;

namespace Modelgate.Storage.Tests;

/// <summary>
/// The hourly and daily rollups the usage writer keeps: every usage view answered from them equals the same view
/// summed from raw rows, whatever the range's edges; they are written in the raw rows' transaction and count a
/// replayed call once; retention deletes what it should; an upgraded database gets them built from what it had.
/// </summary>
public sealed class UsageRollupTests
{
    // Mid-afternoon: ranges ending "now" cut the current day and hour.
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 37, 12, 345, TimeSpan.Zero);
    private static readonly Guid[] Keys = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
    private static readonly (string Name, Guid Id)[] Models = [("gpt-a", Guid.NewGuid()), ("gpt-b", Guid.NewGuid()), ("claude-c", Guid.NewGuid())];

    private static async Task<(TestDatabase Database, ModelgateDbContextFactory Contexts)> DatabaseAsync(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        await new DatabaseInitializer(contexts, database.Options).MigrateAsync(CancellationToken.None);
        return (database, contexts);
    }

    private static UsageWriter Writer(ModelgateDbContextFactory contexts, TimeProvider time, TestDatabase database) =>
        new(contexts, new UsageOptions { SpillPath = Path.Combine(database.DataDirectory.Path, "spill.jsonl"), BatchSize = 500 },
            new UsageMetrics(), new SpendLedger(contexts, time), time, NullLogger<UsageWriter>.Instance);

    // Calls over the last three days and a half, every few minutes, across keys, models, purposes, statuses, streamed
    // or not, priced or not, with and without time to first token.
    private static List<UsageRecord> Calls(int count, int seed)
    {
        var random = new Random(seed);
        var calls = new List<UsageRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var (model, modelId) = Models[random.Next(Models.Length)];
            var status = random.Next(20) switch { 0 => 429, 1 => 502, 2 => 400, _ => 200 };
            var streamed = random.Next(2) == 0;
            calls.Add(new UsageRecord
            {
                RequestId = Guid.NewGuid(),
                At = Now.AddMilliseconds(-random.NextInt64(0, (long)TimeSpan.FromDays(3.5).TotalMilliseconds)),
                KeyId = random.Next(4) == 0 ? null : Keys[random.Next(Keys.Length)],
                Purpose = random.Next(2) == 0 ? "chat" : "agents",
                ProviderName = model.StartsWith("claude", StringComparison.Ordinal) ? "anthropic" : "openai",
                ModelName = model,
                ModelId = modelId,
                Tokens = new TokenCounts(random.Next(0, 5000), random.Next(0, 800), random.Next(0, 100), Estimated: random.Next(10) == 0),
                Cost = random.Next(15) == 0 ? null : random.Next(0, 1_000_000) / 1e9m,
                LatencyMs = random.Next(1, 30_000),
                TimeToFirstTokenMs = streamed ? random.Next(1, 3_000) : null,
                Status = status,
                ErrorClass = status >= 400 ? "upstream_error" : random.Next(50) == 0 ? "stream_cut" : null,
                Streamed = streamed,
            });
        }

        return calls;
    }

    private static readonly UsageDimension[][] Groupings =
    [
        [], [UsageDimension.Model], [UsageDimension.Provider], [UsageDimension.Purpose], [UsageDimension.Key], [UsageDimension.Team], [UsageDimension.Status],
        [UsageDimension.Day], [UsageDimension.Hour], [UsageDimension.Model, UsageDimension.Day], [UsageDimension.Key, UsageDimension.Status, UsageDimension.Hour],
    ];

    // Filters each level answers (model and provider; key and team) and those only series answer (purpose, or mixed).
    private static readonly (UsageDimension[] GroupBy, string Filter)[] Filtered =
    [
        ([UsageDimension.Model], "model"), ([UsageDimension.Day], "models"), ([UsageDimension.Key, UsageDimension.Day], "team"),
        ([UsageDimension.Status], "key"), ([UsageDimension.Model], "purpose"), ([UsageDimension.Key], "model"),
    ];

    private static UsageRequest Filter(UsageRequest request, string filter) => filter switch
    {
        "model" => request with { ModelId = Models[1].Id },
        "models" => request with { ModelIds = new HashSet<Guid> { Models[0].Id, Models[2].Id } },
        "team" => request with { Team = "search" },
        "key" => request with { KeyId = Keys[1] },
        "purpose" => request with { Purpose = "agents" },
        _ => request,
    };

    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Ranges()
    {
        var midnight = new DateTimeOffset(Now.Date, TimeSpan.Zero);
        yield return (Now.AddDays(-3), Now);                                    // cuts the first and last day and hour
        yield return (midnight.AddDays(-2), midnight);                          // whole days only
        yield return (midnight.AddDays(-2).AddHours(5), midnight.AddHours(3));  // whole hours, cutting days
        yield return (Now.AddMinutes(-20), Now);                                // inside one hour
        yield return (midnight.AddMinutes(-50), midnight.AddMinutes(10));       // across midnight, no whole hour
        yield return (midnight.AddDays(-1).AddMinutes(7), midnight.AddDays(-1).AddHours(23).AddMinutes(59));  // inside one day
        yield return (Now.AddDays(-10), Now.AddDays(1));                        // beyond the data both ways
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task EveryGroupingAndRange_FromRollups_EqualsTheSumOfRawRows_WithLateAndReplayedCalls(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        await using (var db = contexts.CreateDbContext())
        {
            db.VirtualKeys.AddRange(
                new VirtualKeyEntity { Id = Keys[0], Name = "k0", KeyHash = "h0", KeyPrefix = "p0", Team = "search" },
                new VirtualKeyEntity { Id = Keys[1], Name = "k1", KeyHash = "h1", KeyPrefix = "p1", Team = "search" },
                new VirtualKeyEntity { Id = Keys[2], Name = "k2", KeyHash = "h2", KeyPrefix = "p2" });
            await db.SaveChangesAsync();
        }

        var writer = Writer(contexts, TimeProvider.System, database);
        var calls = Calls(4_000, seed: 18);
        foreach (var batch in calls.Chunk(500))
        {
            await writer.WriteAsync(batch, CancellationToken.None);
        }

        // Late calls for hours and days closed long ago, and a batch replayed (half already stored).
        var late = Calls(300, seed: 19).Select(c => c with { At = c.At.AddDays(-0.5) }).ToList();
        await writer.WriteAsync(late, CancellationToken.None);
        await writer.WriteAsync([.. calls.Take(250), .. Calls(250, seed: 20)], CancellationToken.None);

        var query = new UsageQuery(contexts);
        var expected = new Dictionary<string, List<string>>();
        foreach (var (from, to) in Ranges())
        {
            foreach (var (groupBy, filter) in Groupings.Select(g => (g, "")).Concat(Filtered))
            {
                var request = Filter(new UsageRequest(from, to, groupBy), filter);
                var name = $"{from:O}..{to:O} by [{string.Join(',', groupBy)}] {filter}";
                var (raw, _) = await query.RunFromRawAsync(request, CancellationToken.None);
                var (rolled, error) = await query.RunAsync(request, CancellationToken.None);
                Assert.True(error is null, name + ": " + error);
                expected[name] = Describe(raw!);
                Assert.True(expected[name].SequenceEqual(Describe(rolled!)), $"{name}\nraw:\n{string.Join('\n', expected[name])}\nrollups:\n{string.Join('\n', Describe(rolled!))}");
            }
        }

        Assert.Equal(4_550, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(4_550, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_hourly WHERE level = 0"));
        Assert.Equal(4_550, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_daily WHERE level = 0"));
        // Every call is summed under its model's and its key's series too.
        Assert.Equal(4_550, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_hourly WHERE level = 1"));
        Assert.Equal(4_550, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_daily WHERE level = 2"));
        Assert.Equal(Models.Length * 4, await CountAsync(contexts, "SELECT COUNT(DISTINCT series_id * 1000 + status) FROM usage_daily WHERE level = 1"));

        // The whole days and hours really come from the rollups: with the raw rows of closed hours gone, answers
        // that need no partial hour are unchanged.
        var midnight = new DateTimeOffset(Now.Date, TimeSpan.Zero);
        await database.ExecuteAsync($"DELETE FROM usage_records WHERE at_ms < {midnight.ToUnixTimeMilliseconds()}");
        foreach (var (from, to) in new[] { (midnight.AddDays(-2), midnight), (midnight.AddDays(-2).AddHours(5), midnight.AddHours(3)) })
        {
            foreach (var groupBy in Groupings)
            {
                var name = $"{from:O}..{to:O} by [{string.Join(',', groupBy)}] ";
                var (rolled, _) = await query.RunAsync(new UsageRequest(from, to, groupBy), CancellationToken.None);
                Assert.Equal(expected[name], Describe(rolled!));
            }
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RollupsThatCannotBeWritten_TakeTheRawRowsWithThem_AndTheBatchCountsOnceWhenWrittenAgain(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, TimeProvider.System, database);
        var calls = Calls(200, seed: 3);
        await database.ExecuteAsync("ALTER TABLE usage_daily RENAME TO usage_daily_away");

        await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(calls, CancellationToken.None));
        Assert.Equal(0, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(0, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_hourly"));

        await database.ExecuteAsync("ALTER TABLE usage_daily_away RENAME TO usage_daily");
        await writer.WriteAsync(calls, CancellationToken.None);
        await writer.WriteAsync(calls, CancellationToken.None);
        Assert.Equal(200, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(200, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_hourly WHERE level = 0"));
        Assert.Equal(200, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_daily WHERE level = 0"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task TheSameCallTwiceInOneBatch_IsCountedOnce(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, TimeProvider.System, database);
        var calls = Calls(50, seed: 11);

        await writer.WriteAsync([.. calls, .. calls.Take(20)], CancellationToken.None);

        Assert.Equal(50, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(50, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_hourly WHERE level = 0"));
        Assert.Equal(50, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_daily WHERE level = 0"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RangeEndingAfterTheLastCallOfItsHour_ReadsThatHourFromItsRollup_AndOneEndingBeforeACall_FromRawRows(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, TimeProvider.System, database);
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero);
        // Ten calls in Now's hour (at :00, :03, … :27), the others in the hours before it.
        var calls = Calls(200, seed: 9).Select((c, i) => c with { At = i < 10 ? hour.AddMinutes(3 * i) : Now.AddMinutes(-40 - (10 * i)) }).ToList();
        await writer.WriteAsync(calls, CancellationToken.None);
        var query = new UsageQuery(contexts);
        var toNow = new UsageRequest(Now.AddDays(-2), Now, [UsageDimension.Model]);
        var beforeTheLast = toNow with { To = hour.AddMinutes(20) };
        var expected = (Describe((await query.RunFromRawAsync(toNow, CancellationToken.None)).Groups!), Describe((await query.RunFromRawAsync(beforeTheLast, CancellationToken.None)).Groups!));

        // With the hour's raw rows before :20 gone, only an answer read from the hour's rollup still counts them.
        await database.ExecuteAsync($"DELETE FROM usage_records WHERE at_ms >= {hour.ToUnixTimeMilliseconds()} AND at_ms < {hour.AddMinutes(20).ToUnixTimeMilliseconds()}");
        var (fromRollup, partly) = ((await query.RunAsync(toNow, CancellationToken.None)).Groups!, (await query.RunAsync(beforeTheLast, CancellationToken.None)).Groups!);

        Assert.Equal(expected.Item1, Describe(fromRollup));
        Assert.Equal(200, fromRollup.Sum(g => g.Totals.Requests));
        // Calls after :20 in that hour (at :21, :24, :27) keep it from its rollup: its first seven calls were raw, now gone.
        Assert.Equal(190, partly.Sum(g => g.Totals.Requests));
        Assert.NotEqual(expected.Item2, Describe(partly));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task UntilAnUpgradedDatabasesRollupsAreBuilt_TheHourARangeEndsIn_IsReadFromRawRows(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero);
        await Writer(contexts, TimeProvider.System, database).WriteAsync(
            [.. Calls(10, seed: 4).Select((c, i) => c with { At = hour.AddMinutes(3 * i) })], CancellationToken.None);
        // As an upgraded database looks before its one-time build: raw rows whose hour has no rollup yet.
        await database.ExecuteAsync($"DELETE FROM settings WHERE key = '{UsageRollupBuild.DoneSetting}'");
        await database.ExecuteAsync("DELETE FROM usage_hourly");

        var (groups, _) = await new UsageQuery(contexts).RunAsync(new UsageRequest(Now.AddHours(-2), Now, []), CancellationToken.None);

        Assert.Equal(10, groups!.Sum(g => g.Totals.Requests));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ModelFirstCalledAfterAQuery_IsInTheNextAnswerOfTheSameQueryService(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, TimeProvider.System, database);
        var query = new UsageQuery(contexts);
        var request = new UsageRequest(Now.AddDays(-4), Now.AddDays(1), [UsageDimension.Model]);
        await writer.WriteAsync(Calls(30, seed: 5), CancellationToken.None);
        var before = (await query.RunAsync(request, CancellationToken.None)).Groups!;

        var newModel = Guid.NewGuid();
        await writer.WriteAsync([Calls(1, seed: 6)[0] with { ModelId = newModel, ModelName = "gpt-new" }], CancellationToken.None);
        var after = (await query.RunAsync(request, CancellationToken.None)).Groups!;
        var byModel = (await query.RunAsync(request with { ModelId = newModel }, CancellationToken.None)).Groups!;

        Assert.DoesNotContain(before, g => g.Keys["model"] == "gpt-new");
        Assert.Equal(1, Assert.Single(after, g => g.Keys["model"] == "gpt-new").Totals.Requests);
        Assert.Equal(newModel.ToString(), Assert.Single(byModel).Keys["model_id"]);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ModelAndKeyWhoseSeriesExistsButNotYetTheirProjections_HaveNoUsage_NotAnError(DatabaseKind kind)
    {
        // The writer saves a call's own series, then its model's and its key's, each on its own: a query in between
        // sees the first alone (and no rollup row of any, since those come after all three).
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var (model, key) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = contexts.CreateDbContext())
        {
            db.UsageSeries.Add(new UsageSeriesEntity
            {
                Source = "gateway", Operation = "chat", KeyId = key, Purpose = "chat", ProviderName = "openai", ModelId = model, ModelName = "gpt-half-written",
            });
            await db.SaveChangesAsync();
        }

        var query = new UsageQuery(contexts);
        var byModel = await query.RunAsync(new UsageRequest(Now.AddDays(-3), Now, [UsageDimension.Model]) { ModelId = model }, CancellationToken.None);
        var byKey = await query.RunAsync(new UsageRequest(Now.AddDays(-3), Now, [UsageDimension.Key]) { KeyId = key }, CancellationToken.None);

        Assert.Equal((0, null), (byModel.Groups!.Count, byModel.Error));
        Assert.Equal((0, null), (byKey.Groups!.Count, byKey.Error));
    }

    [Fact]
    public async Task RawRowsOfARange_AreFoundThroughABtreeOnPostgres_NotABrinIndexThatMissesUnsummarizedPages()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Postgres);
        await using var _ = database;
        await using var db = contexts.CreateDbContext();

        var definition = await db.Database.SqlQueryRaw<string>("SELECT indexdef AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_usage_records_at_ms'").SingleAsync();

        Assert.Contains("USING btree (at_ms)", definition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritersOnTwoInstances_AddingToTheSameHours_LoseNothing()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Postgres);
        await using var _ = database;
        var (first, second) = (Writer(contexts, TimeProvider.System, database), Writer(new ModelgateDbContextFactory(database.Options), TimeProvider.System, database));
        // Every call in the same two hours, so the two writers' batches keep touching the same rollup rows.
        var calls = Calls(4_000, seed: 7).Select((c, i) => c with { At = Now.AddMinutes(-(i % 90)) }).ToList();
        var batches = calls.Chunk(200).ToList();
        await Task.WhenAll(
            Task.Run(async () => { foreach (var b in batches.Where((_, i) => i % 2 == 0)) { await first.WriteAsync(b, CancellationToken.None); } }),
            Task.Run(async () => { foreach (var b in batches.Where((_, i) => i % 2 == 1)) { await second.WriteAsync(b, CancellationToken.None); } }));

        Assert.Equal(4_000, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_hourly WHERE level = 0"));
        Assert.Equal(calls.Sum(c => c.Tokens.Input), await CountAsync(contexts, "SELECT SUM(input_tokens) FROM usage_daily WHERE level = 0"));
        var query = new UsageQuery(contexts);
        var request = new UsageRequest(Now.AddHours(-3), Now.AddHours(1), [UsageDimension.Model, UsageDimension.Hour]);
        Assert.Equal(Describe((await query.RunFromRawAsync(request, CancellationToken.None)).Groups!), Describe((await query.RunAsync(request, CancellationToken.None)).Groups!));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Retention_DeletesRawRowsHoursAndDaysPastTheirPeriods_AndNothingNewer(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var time = new FakeTimeProvider(Now);
        var writer = Writer(contexts, time, database);
        var calls = new[] { -50, -40, -35, -20, -1 }.SelectMany(days => Calls(40, seed: 100 - days).Select(c => c with { At = Now.AddDays(days).AddHours(-1) })).ToList();
        await writer.WriteAsync(calls, CancellationToken.None);
        var query = new UsageQuery(contexts);
        var byDay = new UsageRequest(Now.AddDays(-60), Now, [UsageDimension.Model, UsageDimension.Day]);
        var before = Describe((await query.RunFromRawAsync(byDay, CancellationToken.None)).Groups!);

        var options = new UsageOptions { SpillPath = "unused", RetentionDays = 30, HourlyRetentionDays = 38, RollupRetentionDays = 45 };
        var pruned = await new UsageMaintenance(contexts, options, time, NullLogger<UsageMaintenance>.Instance).PruneAsync(CancellationToken.None);

        var day = (int)(Now.ToUnixTimeMilliseconds() / 86_400_000);
        Assert.Equal(120, pruned);
        Assert.Equal(80, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(0, await CountAsync(contexts, $"SELECT COUNT(*) FROM usage_records WHERE at_ms < {(day - 30) * 86_400_000L}"));
        Assert.Equal(120, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_hourly WHERE level = 0"));
        Assert.Equal(0, await CountAsync(contexts, $"SELECT COUNT(*) FROM usage_hourly WHERE hour < {(day - 38) * 24}"));
        Assert.Equal(160, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_daily WHERE level = 0"));
        Assert.Equal(0, await CountAsync(contexts, $"SELECT COUNT(*) FROM usage_daily WHERE day < {day - 45}"));

        // What is kept answers as before; the 50-day-old day is gone, past the daily retention.
        var after = Describe((await query.RunAsync(byDay, CancellationToken.None)).Groups!);
        Assert.Contains(before, line => line.StartsWith($"day={DayText(day - 50)} ", StringComparison.Ordinal));
        Assert.Equal(before.Where(line => !line.StartsWith($"day={DayText(day - 50)} ", StringComparison.Ordinal)), after);
        Assert.Contains(after, line => line.StartsWith($"day={DayText(day - 40)} ", StringComparison.Ordinal));
        var (_, refused) = await query.RunAsync(byDay with { GroupBy = [UsageDimension.Hour] }, CancellationToken.None);
        Assert.Contains("hourly usage is kept from", refused);
        var (hours, error) = await query.RunAsync(new UsageRequest(Now.AddDays(-36), Now, [UsageDimension.Hour]), CancellationToken.None);
        Assert.Null(error);
        Assert.Equal(120, hours!.Sum(g => g.Totals.Requests));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task DatabaseOfAnOlderVersion_GetsItsRollupsBuiltOnce_FromRawRowsAndOldDailyRollups(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, TimeProvider.System, database);
        await writer.WriteAsync(Calls(1_500, seed: 5), CancellationToken.None);
        var query = new UsageQuery(contexts);
        var recent = new UsageRequest(Now.AddDays(-3), Now, [UsageDimension.Model, UsageDimension.Hour]);
        var expected = Describe((await query.RunFromRawAsync(recent, CancellationToken.None)).Groups!);

        // As an older version left it: no hourly or daily rollups, a day summed into usage_rollups long ago.
        var oldDay = (int)(Now.AddDays(-100).ToUnixTimeMilliseconds() / 86_400_000);
        int series;
        await using (var db = contexts.CreateDbContext())
        {
            series = await db.UsageSeries.Where(s => s.Source != "").OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
            db.UsageRollups.Add(new UsageRollupEntity
            {
                Day = oldDay, SeriesId = series, Requests = 7, Errors = 2, InputTokens = 700, OutputTokens = 70, CostPicos = 5_000_000,
                LatencyMsSum = 7_000, LatencyHistogram = "170:5,180:2", TtftHistogram = "",
            });
            await db.SaveChangesAsync();
        }

        await database.ExecuteAsync("DELETE FROM usage_hourly");
        await database.ExecuteAsync("DELETE FROM usage_daily");
        await database.ExecuteAsync($"DELETE FROM settings WHERE key IN ('{UsageRollupBuild.DoneSetting}', '{UsageRollupBuild.ProgressSetting}')");
        await database.ExecuteAsync($"INSERT INTO settings (key, value, updated_at) VALUES ('{UsageKept.RawSetting}', '{oldDay + 1}', '2026-11-01 00:00:00')");

        // Two instances starting at once: each day is built once, by one of them.
        await new DatabaseInitializer(contexts, database.Options).MigrateAsync(CancellationToken.None);
        await database.ExecuteAsync($"DELETE FROM settings WHERE key IN ('{UsageRollupBuild.DoneSetting}', '{UsageRollupBuild.ProgressSetting}')");
        var built = await Task.WhenAll(
            Task.Run(() => UsageRollupBuild.RunAsync(contexts, TimeProvider.System, CancellationToken.None)),
            Task.Run(() => UsageRollupBuild.RunAsync(new ModelgateDbContextFactory(database.Options), TimeProvider.System, CancellationToken.None)));
        var daysWithData = await CountAsync(contexts, "SELECT COUNT(DISTINCT day) FROM usage_daily");
        Assert.Equal(daysWithData, built.Sum());

        Assert.Equal(expected, Describe((await query.RunAsync(recent, CancellationToken.None)).Groups!));
        Assert.Equal(1_500 + 7, await CountAsync(contexts, "SELECT SUM(requests) FROM usage_daily WHERE level = 0"));
        Assert.Equal(1, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_rollups"));
        var (old, error) = await query.RunAsync(new UsageRequest(Now.AddDays(-101), Now.AddDays(-99), [UsageDimension.Status, UsageDimension.Day]), CancellationToken.None);
        Assert.Null(error);
        var group = Assert.Single(old!);
        Assert.Null(group.Keys["status"]);
        Assert.Equal((7, 2, 700), (group.Totals.Requests, group.Totals.Errors, group.Totals.InputTokens));
        Assert.Equal(7, group.Totals.Latency.Count);

        // Once: a second start leaves the rollups as they are.
        await database.ExecuteAsync("DELETE FROM usage_daily");
        await new DatabaseInitializer(contexts, database.Options).MigrateAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync(contexts, "SELECT COUNT(*) FROM usage_daily"));
    }

    private static async Task<long> CountAsync(ModelgateDbContextFactory contexts, string sql)
    {
        await using var db = contexts.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? 0L : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string DayText(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // Everything a view shows of a group, histograms bucket by bucket.
    private static List<string> Describe(IReadOnlyList<UsageGroup> groups) =>
        [.. groups.Select(g => string.Join(' ', g.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"))
            + $" | n={g.Totals.Requests} err={g.Totals.Errors} str={g.Totals.Streamed} est={g.Totals.Estimated} unpriced={g.Totals.Unpriced}"
            + $" tok={g.Totals.InputTokens}/{g.Totals.OutputTokens}/{g.Totals.CachedInputTokens} picos={g.Totals.CostPicos} lat={g.Totals.LatencyMsSum}"
            + $" [{g.Totals.Latency}] [{g.Totals.TimeToFirstToken}]").Order(StringComparer.Ordinal)];
}
