using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Experiments;
using Modelgate.Core.Usage;
using Modelgate.Storage.Experiments;
using Modelgate.Storage.Usage;
using Modelgate.Testing;

namespace Modelgate.Storage.Tests;

/// <summary>
/// What experiments add to usage storage, on both databases: calls carry their experiment, variant and session through
/// the writer and its journal; feedback finds its call; results are summed per variant exactly.
/// </summary>
public sealed class ExperimentUsageTests
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid ModelId = Guid.NewGuid();

    private static async Task<(TestDatabase Database, ModelgateDbContextFactory Contexts)> DatabaseAsync(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        await new DatabaseInitializer(contexts, database.Options).MigrateAsync(CancellationToken.None);
        return (database, contexts);
    }

    private static UsageWriter Writer(ModelgateDbContextFactory contexts, string folder) =>
        new(contexts, new UsageOptions { SpillPath = Path.Combine(folder, "spill.jsonl"), BatchSize = 100, ReplayInterval = TimeSpan.FromMilliseconds(100) },
            new UsageMetrics(), new SpendLedger(contexts, TimeProvider.System), TimeProvider.System, NullLogger<UsageWriter>.Instance);

    private static UsageRecord Call(DateTimeOffset at, Guid? experiment = null, string? variant = null, string? session = null, int latency = 100, decimal? cost = 0.001m,
        int status = 200, long input = 10, long output = 1, int? ttft = null, Guid? key = null) => new()
    {
        RequestId = RequestIds.Next(at), At = at, KeyId = key, Purpose = "chat", ExperimentId = experiment, Variant = variant, SessionHash = session is null ? null : SessionHash.Of(session),
        ProviderName = "p", ModelId = ModelId, ModelName = "m", Tokens = new TokenCounts(input, output), Cost = cost, LatencyMs = latency,
        Status = status, ErrorClass = status >= 400 ? "upstream_error" : null, Streamed = ttft is not null, TimeToFirstTokenMs = ttft,
    };

    private static async Task<(Guid ExperimentId, string Variant, long? SessionHash)> StoredAsync(ModelgateDbContextFactory contexts, Guid requestId)
    {
        await using var db = contexts.CreateDbContext();
        var bytes = requestId.ToByteArray();
        var row = await db.UsageRecords.SingleAsync(r => r.RequestId == bytes);
        var series = await db.UsageSeries.SingleAsync(s => s.Id == row.SeriesId);
        return (series.ExperimentId, series.Variant, row.SessionHash);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Writer_RecordWithExperimentVariantAndSession_StoresThemAndOnlyTheSessionsHash(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var writer = Writer(contexts, database.DataDirectory.Path);
        var experiment = Guid.NewGuid();
        var (inExperiment, sameButOther, plain) = (Call(Hour, experiment, "b", "user-42"), Call(Hour, Guid.NewGuid(), "b"), Call(Hour));

        writer.Record(inExperiment);
        writer.Record(sameButOther);
        writer.Record(plain);
        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.Equal((experiment, "b", SessionHash.Of("user-42")), await StoredAsync(contexts, inExperiment.RequestId));
        Assert.Equal((Guid.Empty, "", (long?)null), await StoredAsync(contexts, plain.RequestId));
        await using var db = contexts.CreateDbContext();
        // The experiment is part of the series: the same call in another experiment is another series (model and key
        // series, with an empty source, are the rollups' own).
        Assert.Equal(3, await db.UsageSeries.CountAsync(s => s.Source != ""));
        Assert.Equal(0L, await db.UsageSeries.LongCountAsync(s => s.ExperimentId == experiment && s.Variant != "b"));
    }

    [Fact]
    public async Task Journal_RecordOfAWriterThatNeverWroteIt_KeepsItsExperimentVariantAndSession_WhenReplayed()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        var experiment = Guid.NewGuid();
        var call = Call(Hour, experiment, "control", "session-7");
        var first = Writer(contexts, database.DataDirectory.Path);
        first.Record(call);
        // Never started (as if killed): the record is only in its journal.
        await first.FlushAndStopAsync();
        var journal = Assert.Single(Directory.GetFiles(database.DataDirectory.Path, "usage-journal-*"));
        // The journal holds the record with its session's hash, never the session id (often a user's identifier).
        var written = await File.ReadAllTextAsync(journal);
        Assert.DoesNotContain("session-7", written, StringComparison.Ordinal);
        Assert.Contains(SessionHash.Of("session-7").ToString(System.Globalization.CultureInfo.InvariantCulture), written, StringComparison.Ordinal);

        var second = Writer(contexts, database.DataDirectory.Path);
        await second.StartAsync(CancellationToken.None);
        await second.StoppedAsync(CancellationToken.None);

        Assert.Equal((experiment, "control", SessionHash.Of("session-7")), await StoredAsync(contexts, call.RequestId));
        Assert.Empty(Directory.GetFiles(database.DataDirectory.Path, "usage-journal-*"));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ResultsQuery_SumsUsageAndFeedbackPerVariant_Exactly(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var experiment = Guid.NewGuid();
        await using (var db = contexts.CreateDbContext())
        {
            db.Experiments.Add(new Entities.ExperimentEntity
            {
                Id = experiment, Name = "e", Target = "chat", Stickiness = "session", State = "running", Alpha = 0.05, Guardrails = "[]",
                Variants = """[{"name":"control","weight":1},{"name":"b","model_id":"0193a1b2-0000-7000-8000-000000000001","weight":1},{"name":"s","weight":10,"shadow":true}]""",
                CreatedAt = Hour.UtcDateTime, UpdatedAt = Hour.UtcDateTime, Revision = 1,
            });
            await db.SaveChangesAsync();
        }

        var control = new[]
        {
            Call(Hour.AddMinutes(1), experiment, "control", latency: 100, cost: 0.001m, input: 10, output: 1),
            Call(Hour.AddMinutes(2), experiment, "control", latency: 200, cost: 0.002m, input: 20, output: 2),
            Call(Hour.AddMinutes(61), experiment, "control", latency: 300, cost: null, input: 30, output: 3, status: 500),
        };
        var b = new[]
        {
            Call(Hour.AddMinutes(3), experiment, "b", "s-1", latency: 400, cost: 0.01m, ttft: 50),
            Call(Hour.AddMinutes(4), experiment, "b", "s-1", latency: 600, cost: 0.03m, ttft: 70),
        };
        var elsewhere = new[] { Call(Hour, Guid.NewGuid(), "control", latency: 9999), Call(Hour, latency: 9999) };
        await Writer(contexts, database.DataDirectory.Path).WriteAsync([.. control, .. b, .. elsewhere], CancellationToken.None);
        var feedback = new FeedbackStore(contexts, new UsageOptions { SpillPath = "unused" }, TimeProvider.System);
        async Task<FeedbackView> SendAsync(FeedbackInput input) => (await feedback.AddAsync(input, null, CancellationToken.None)).Value!;
        await SendAsync(new FeedbackInput(control[0].RequestId, null, "thumbs", 1));
        await SendAsync(new FeedbackInput(control[1].RequestId, null, "thumbs", 1));
        var replaced = await SendAsync(new FeedbackInput(control[1].RequestId, null, "thumbs", 0));
        var bySession = await SendAsync(new FeedbackInput(null, "s-1", "thumbs", 1));
        await SendAsync(new FeedbackInput(b[0].RequestId, null, "rating", 4.5));

        var results = (await new ExperimentResultsQuery(contexts).RunAsync(experiment, null, null, CancellationToken.None))!;

        Assert.True(replaced.Replaced);
        Assert.Equal((b[1].RequestId, experiment, "b"), (bySession.RequestId, bySession.ExperimentId, bySession.Variant));
        Assert.Equal(["control", "b", "s"], results.Variants.Select(v => v.Variant));
        var c = results.Variants[0];
        // The failed call counts in calls, errors, tokens and cost, not in latency (a variant failing fast must not look fast).
        Assert.Equal((3L, 1L, 2L, 300L, 50_000.0, 0L, 2L, 0.003m, 60L, 6L),
            (c.Calls, c.Errors, c.LatencyCalls, c.LatencySumMs, c.LatencySumOfSquaresMs, c.TtftCalls, c.CostCalls, c.CostUsd, c.InputTokens, c.OutputTokens));
        Assert.Equal(0.000005, c.CostSumOfSquaresUsd, 12);
        Assert.Equal(new FeedbackTotals(2, 1, 1), c.Feedback["thumbs"]);
        Assert.Equal([(Hour, 2L, 0L, 0.003m), (Hour.AddHours(1), 1L, 1L, 0m)], c.Hours.Select(h => (h.Hour, h.Calls, h.Errors, h.CostUsd)));
        Assert.InRange(c.Hours[0].LatencyP95Ms!.Value, 196, 204);
        var v = results.Variants[1];
        Assert.Equal((2L, 0L, 1000L, 520_000.0, 2L, 120L, 7_400.0, 2L, 0.04m), (v.Calls, v.Errors, v.LatencySumMs, v.LatencySumOfSquaresMs, v.TtftCalls, v.TtftSumMs, v.TtftSumOfSquaresMs, v.CostCalls, v.CostUsd));
        Assert.Equal(0.001, v.CostSumOfSquaresUsd, 12);
        Assert.InRange(v.Latency.Percentile(0.5)!.Value, 392, 408);
        Assert.InRange(v.Ttft.Percentile(0.95)!.Value, 68.6, 71.4);
        Assert.Equal(new FeedbackTotals(1, 1, 1), v.Feedback["thumbs"]);
        Assert.Equal(new FeedbackTotals(1, 4.5, 20.25), v.Feedback["rating"]);
        var s = results.Variants[2];
        Assert.Equal((0L, 0m, 0), (s.Calls, s.CostUsd, s.Hours.Count));
        Assert.Null(await new ExperimentResultsQuery(contexts).RunAsync(Guid.NewGuid(), null, null, CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Feedback_UnknownOrOtherKeysCall_IsNotFound_AndAnOldUnknownIdIsNotWaitedFor(DatabaseKind kind)
    {
        var (database, contexts) = await DatabaseAsync(kind);
        await using var _ = database;
        var (mine, theirs) = (Guid.NewGuid(), Guid.NewGuid());
        var call = Call(Hour, key: theirs, session: "shared");
        await Writer(contexts, database.DataDirectory.Path).WriteAsync([call], CancellationToken.None);
        var feedback = new FeedbackStore(contexts, new UsageOptions { SpillPath = "unused", RetentionDays = 30 }, TimeProvider.System);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var unknown = await feedback.AddAsync(new FeedbackInput(RequestIds.Next(DateTimeOffset.UtcNow.AddHours(-1)), null, "thumbs", 1), null, CancellationToken.None);
        var notWaited = started.Elapsed;
        var otherKeys = await feedback.AddAsync(new FeedbackInput(call.RequestId, null, "thumbs", 1), mine, CancellationToken.None);
        var otherKeysSession = await feedback.AddAsync(new FeedbackInput(null, "shared", "thumbs", 1), mine, CancellationToken.None);
        var own = await feedback.AddAsync(new FeedbackInput(call.RequestId, null, "thumbs", 1), theirs, CancellationToken.None);

        Assert.Contains("no call with request id", unknown.Error!.Detail, StringComparison.Ordinal);
        Assert.Contains("in the last 30 days", unknown.Error.Detail, StringComparison.Ordinal);
        Assert.True(notWaited < TimeSpan.FromSeconds(2), $"an hour-old id was waited for ({notWaited})");
        Assert.Equal(Core.Catalog.CatalogErrorKind.NotFound, otherKeys.Error!.Kind);
        Assert.Equal(Core.Catalog.CatalogErrorKind.NotFound, otherKeysSession.Error!.Kind);
        Assert.Equal(call.RequestId, own.Value!.RequestId);
    }

    [Fact]
    public async Task Feedback_ARecentIdNotWrittenYet_IsWaitedFor()
    {
        var (database, contexts) = await DatabaseAsync(DatabaseKind.Sqlite);
        await using var _ = database;
        var writer = Writer(contexts, database.DataDirectory.Path);
        var call = Call(DateTimeOffset.UtcNow);
        var feedback = new FeedbackStore(contexts, new UsageOptions { SpillPath = "unused" }, TimeProvider.System);

        var sent = feedback.AddAsync(new FeedbackInput(call.RequestId, null, "thumbs", 1), null, CancellationToken.None);
        await Task.Delay(600);
        Assert.False(sent.IsCompleted);
        writer.Record(call);
        await writer.StartAsync(CancellationToken.None);

        Assert.Equal(call.RequestId, (await sent).Value!.RequestId);
        await writer.StoppedAsync(CancellationToken.None);
    }
}
