using System.Diagnostics;
using System.Net;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;
using Modelgate.Testing;
using Xunit.Abstractions;

namespace Modelgate.Server.Tests;

/// <summary>Several instances on one database, and instances that lose their database.</summary>
public sealed class FleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static async Task<string> SetUpDefaultAsync(HttpClient admin, string purpose, string apiKey)
    {
        var provider = await admin.CreateProviderAsync("anthropic", apiKey: apiKey);
        var model = await admin.CreateModelAsync(provider.Str("id"));
        await (await admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        return model.Str("id");
    }

    private static string? ModelOf(ModelgateApp app, string purpose)
    {
        try
        {
            return app.Resolver.Resolve(purpose).Model.Id.ToString();
        }
        catch (ModelgateConfigurationException)
        {
            return null;
        }
    }

    private static async Task<TimeSpan> WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"gave up after {Patience.TotalSeconds} s waiting until {what}");
            await Task.Delay(5);
        }

        return clock.Elapsed;
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ChangeOnOneInstance_ReachesAnotherSharingTheDatabase(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var masterKey = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() };
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        var admin = first.CreateAdminClient();
        using var _ = second.CreateClient();
        var a = await SetUpDefaultAsync(admin, "agents/fleet", "sk-ant-api03-fleet-a-000000000000000AAAA");
        var b = await SetUpDefaultAsync(admin, "agents/other", "sk-ant-api03-fleet-b-000000000000000BBBB");

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var target = i % 2 == 0 ? b : a;
            await (await admin.PutJsonAsync("/api/v1/llm-defaults/agents/fleet", new { model_id = target })).ExpectAsync(HttpStatusCode.OK);
            delays.Add(await WaitUntilAsync(() => ModelOf(second, "agents/fleet") == target, "the second instance resolves the new model"));
        }

        var fleet = await WaitForFleetAsync(admin, expected: 2);
        Assert.True(fleet.GetProperty("all_current").GetBoolean());
        Assert.All(fleet.GetProperty("instances").EnumerateArray(), i => Assert.Equal(0, i.GetProperty("lag").GetInt64()));
        Assert.Single(fleet.GetProperty("instances").EnumerateArray(), i => i.GetProperty("is_self").GetBoolean());
        var key = second.Resolver.Resolve("agents/fleet").ApiKey;
        Assert.Equal("sk-ant-api03-fleet-a-000000000000000AAAA", key);
        output.WriteLine($"{kind}: propagation to the other instance took {string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:F0} ms"))} (max {delays.Max().TotalMilliseconds:F0} ms)");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task AliasSetOnOneInstance_ResolvesOnAnotherSharingTheDatabase(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var masterKey = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() };
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        var admin = first.CreateAdminClient();
        using var _ = second.CreateClient();
        var a = await SetUpDefaultAsync(admin, "agents/alias-a", "sk-ant-api03-alias-a-000000000000000AAAA");
        var b = await SetUpDefaultAsync(admin, "agents/alias-b", "sk-ant-api03-alias-b-000000000000000BBBB");

        string? AliasOn(ModelgateApp app)
        {
            try
            {
                return app.Resolver.ResolveRequested("smart").Model.Id.ToString();
            }
            catch (ModelgateConfigurationException)
            {
                return null;
            }
        }

        foreach (var target in new[] { a, b })
        {
            await (await admin.PutJsonAsync("/api/v1/aliases/smart", new { model_id = target })).ExpectAsync(HttpStatusCode.OK);
            var delay = await WaitUntilAsync(() => AliasOn(second) == target, "the second instance resolves the alias to its new target");
            output.WriteLine($"{kind}: the alias reached the other instance in {delay.TotalMilliseconds:F0} ms");
        }

        await (await admin.DeleteAsync("/api/v1/aliases/smart")).ExpectAsync(HttpStatusCode.NoContent);
        await WaitUntilAsync(() => AliasOn(second) is null, "the second instance no longer knows the alias");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Experiment_KeepsASessionOnOneVariantOnEveryInstance_AndAWeightChangeReachesTheOther(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var masterKey = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() };
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        var admin = first.CreateAdminClient();
        using var _ = second.CreateClient();
        await SetUpDefaultAsync(admin, "agents/split", "sk-ant-api03-split-a-000000000000000AAAA");
        var treatment = await SetUpDefaultAsync(admin, "agents/other-split", "sk-ant-api03-split-b-000000000000000BBBB");
        var created = await (await admin.PostJsonAsync("/api/v1/experiments", new
        {
            name = "fleet-split", target = "agents/split",
            variants = new object[] { new { name = "control", weight = 50 }, new { name = "b", model_id = treatment, weight = 50 } },
        })).ExpectAsync(HttpStatusCode.Created);
        await WaitUntilAsync(() => second.Resolver.ExperimentOn("agents/split") is not null, "the second instance has the experiment");

        string VariantOn(ModelgateApp app, string session) =>
            app.Resolver.Route("agents/split", new Core.Experiments.ExperimentUnit(session, null, Guid.NewGuid().ToString("N")), DateTimeOffset.UtcNow).Arm!.Variant;
        var sessions = Enumerable.Range(0, 200).Select(i => $"session-{i}").ToList();
        Assert.All(sessions, s => Assert.Equal(VariantOn(first, s), VariantOn(second, s)));
        Assert.Equal(2, sessions.Select(s => VariantOn(second, s)).Distinct().Count());

        var revision = created.GetProperty("revision").GetInt32();
        var delays = new List<TimeSpan>();
        foreach (var (control, b) in new[] { (0, 100), (100, 0), (0, 100) })
        {
            var updated = await (await admin.PutJsonAsync($"/api/v1/experiments/{created.Str("id")}", new
            {
                variants = new object[] { new { name = "control", weight = control }, new { name = "b", model_id = treatment, weight = b } },
            }, ifMatch: $"\"{revision}\"")).ExpectAsync(HttpStatusCode.OK);
            revision = updated.GetProperty("revision").GetInt32();
            var expected = b == 100 ? "b" : "control";
            delays.Add(await WaitUntilAsync(() => sessions.Take(20).All(s => VariantOn(second, s) == expected), $"the second instance sends every session to {expected}"));
        }

        output.WriteLine($"{kind}: weight changes reached the other instance in {string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:F0} ms"))}");
    }

    // Each instance reports itself right after applying a version; wait until both rows show the latest one.
    private static async Task<System.Text.Json.JsonElement> WaitForFleetAsync(HttpClient admin, int expected)
    {
        System.Text.Json.JsonElement fleet = default;
        await WaitUntilAsync(() =>
        {
            fleet = admin.GetAsync("/api/v1/instances").Result.JsonAsync().Result;
            var instances = fleet.GetProperty("instances").EnumerateArray().ToList();
            return instances.Count == expected && instances.All(i => i.GetProperty("lag").GetInt64() == 0 && i.GetProperty("config_version").GetInt64() == fleet.GetProperty("latest_version").GetInt64());
        }, "both instances report the latest version");
        return fleet;
    }

    [Fact]
    public async Task InstanceStopped_LeavesTheFleetAtOnce_InsteadOfStayingAliveUntilItsHeartbeatAges()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var masterKey = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() };
        await using var staying = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        var leaving = new ModelgateApp(db.Options, db.DataDirectory.Path, masterKey);
        var admin = staying.CreateAdminClient();
        using (leaving.CreateClient())
        {
            await WaitForFleetAsync(admin, expected: 2);
        }

        var stop = Stopwatch.StartNew();
        await leaving.DisposeAsync();
        stop.Stop();

        var fleet = await (await admin.GetAsync("/api/v1/instances")).ExpectAsync(HttpStatusCode.OK);
        var self = Assert.Single(fleet.GetProperty("instances").EnumerateArray());
        Assert.True(self.GetProperty("is_self").GetBoolean());
        output.WriteLine($"the stopping instance took {stop.ElapsedMilliseconds} ms to stop");
    }

    [Fact]
    public async Task InstanceStopped_WithPostgresDown_StopsPromptlyWithoutAnError()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var data = new TempDirectory();
        var app = new ModelgateApp(new DatabaseOptions(DatabaseKind.Postgres, postgres.ConnectionString), data.Path,
            new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() });
        // The factory starts the server with the first client.
        app.CreateClient().Dispose();

        await postgres.StopAsync();
        var logs = app.Logs;
        var stop = Stopwatch.StartNew();
        await app.DisposeAsync();

        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stop.Elapsed.TotalSeconds:F1} s");
        Assert.Contains(logs.GetSnapshot(), r => r.Message.StartsWith("Instance row not removed at shutdown", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.GetSnapshot(),
            r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error && r.Category == typeof(InstanceRegistry).FullName);
    }

    [Fact]
    public async Task PostgresStopped_ServesLastKnownGood_StartsOnIt_AndRecoversWhenBack()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var data = new TempDirectory();
        var database = new DatabaseOptions(DatabaseKind.Postgres, postgres.ConnectionString);
        var settings = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() };
        await using var running = new ModelgateApp(database, data.Path, settings);
        var admin = running.CreateAdminClient();
        var model = await SetUpDefaultAsync(admin, "agents", "sk-ant-api03-lkg-0000000000000000000LKGK");

        await postgres.StopAsync();
        await WaitUntilAsync(() => running.Resolver.Resolve("agents").Source == ResolutionSource.LastKnownGood, "resolution says last-known-good");
        var degraded = running.Resolver.Resolve("agents");
        Assert.Equal(model, degraded.Model.Id.ToString());
        Assert.Equal("sk-ant-api03-lkg-0000000000000000000LKGK", degraded.ApiKey);
        Assert.Contains("last-known-good", degraded.Reason, StringComparison.Ordinal);
        var health = await running.CreateClient().GetAsync("/health");
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        var refused = await (await admin.PostJsonAsync("/api/v1/llm-providers", new { name = "while-down", type = "openai" })).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("last-known-good", refused.Str("detail"), StringComparison.Ordinal);

        // A new instance starting while the database is down comes up on the last-known-good file.
        await using var restarted = new ModelgateApp(database, data.Path, settings);
        using var client = restarted.CreateClient();
        Assert.Equal(ResolutionSource.LastKnownGood, restarted.Resolver.Resolve("agents").Source);
        Assert.Equal(model, restarted.Resolver.Resolve("agents").Model.Id.ToString());

        await postgres.StartAgainAsync();
        var recovery = await WaitUntilAsync(() => running.Resolver.Resolve("agents").Source == ResolutionSource.Database
            && restarted.Resolver.Resolve("agents").Source == ResolutionSource.Database, "both instances are back on the database");
        Assert.Equal("Healthy", await (await client.GetAsync("/health")).Content.ReadAsStringAsync());
        output.WriteLine($"recovered {recovery.TotalMilliseconds:F0} ms after PostgreSQL came back");
    }

    [Fact]
    public async Task PostgresStopped_UsageRead_Is503SayingItCannotBeRead_WhileAWriteSaysItCannotBeSaved()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var data = new TempDirectory();
        await using var app = new ModelgateApp(new DatabaseOptions(DatabaseKind.Postgres, postgres.ConnectionString), data.Path,
            new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64() });
        var admin = app.CreateAdminClient();
        await (await admin.GetAsync("/api/v1/usage")).ExpectAsync(HttpStatusCode.OK);
        using var console = Support.ConsoleClient.For(app);
        await console.SignInAsync();
        console.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        await postgres.StopAsync();
        var read = await admin.GetAsync("/api/v1/usage");
        var (pageStatus, page) = await console.GetAsync("/usage");
        var write = await admin.PostJsonAsync("/api/v1/llm-providers", new { name = "while-down", type = "openai" });

        Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
        var problem = await read.ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(
            "Usage cannot be read now: the database is unreachable. It is shown again once the database is back (when /health reports Healthy).",
            problem.Str("detail"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pageStatus);
        Assert.Contains("This page cannot be shown now: the database is unreachable.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("saved", problem.Str("detail") + page, StringComparison.Ordinal);
        var refused = await write.ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("changes cannot be saved now", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqliteFileGoneMidRun_ServesLastKnownGood_AndRecoversWhenItIsBack()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new ModelgateApp(db.Options, db.DataDirectory.Path);
        var model = await SetUpDefaultAsync(app.CreateAdminClient(), "chat", "sk-ant-api03-sqlite-midrun-00000000SQLM");
        var file = Path.Combine(db.DataDirectory.Path, DatabaseOptions.DatabaseFileName);

        File.Move(file, file + ".away");
        await WaitUntilAsync(() => app.Resolver.Resolve("chat").Source == ResolutionSource.LastKnownGood, "resolution says last-known-good");
        Assert.Equal(model, app.Resolver.Resolve("chat").Model.Id.ToString());
        Assert.Equal("Degraded", await (await app.CreateClient().GetAsync("/health")).Content.ReadAsStringAsync());

        File.Move(file + ".away", file);
        await WaitUntilAsync(() => app.Resolver.Resolve("chat").Source == ResolutionSource.Database, "resolution is back on the database");
        Assert.Equal("sk-ant-api03-sqlite-midrun-00000000SQLM", app.Resolver.Resolve("chat").ApiKey);
    }

    [Fact]
    public async Task SqliteUnreadableAtStart_StartsOnLastKnownGood()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        string model;
        await using (var first = new ModelgateApp(db.Options, db.DataDirectory.Path))
        {
            model = await SetUpDefaultAsync(first.CreateAdminClient(), "chat", "sk-ant-api03-sqlite-lkg-000000000000SQLK");
        }

        var unreadable = new DatabaseOptions(DatabaseKind.Sqlite, $"Data Source={Path.Combine(db.DataDirectory.Path, "missing", "gone.db")};Mode=ReadWrite");
        await using var second = new ModelgateApp(unreadable, db.DataDirectory.Path);
        using var client = second.CreateClient();

        var resolved = second.Resolver.Resolve("chat");
        Assert.Equal(ResolutionSource.LastKnownGood, resolved.Source);
        Assert.Equal(model, resolved.Model.Id.ToString());
        Assert.Equal("sk-ant-api03-sqlite-lkg-000000000000SQLK", resolved.ApiKey);
        Assert.Equal("Degraded", await (await client.GetAsync("/health")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DatabaseUnreachableAtStart_WithoutLastKnownGood_RefusesToStartSayingWhy()
    {
        using var data = new TempDirectory();
        var unreadable = new DatabaseOptions(DatabaseKind.Sqlite, $"Data Source={Path.Combine(data.Path, "missing", "gone.db")};Mode=ReadWrite");
        await using var app = new ModelgateApp(unreadable, data.Path);

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("no last-known-good snapshot", error.ToString(), StringComparison.Ordinal);
    }
}
