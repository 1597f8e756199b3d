using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Client.Tests;

/// <summary>
/// An application with <c>AddModelgate()</c> in direct mode, against the catalog database an administrator changes
/// and fake upstreams that record what they receive.
/// </summary>
public abstract class PurposeClientTests(DatabaseKind kind) : IAsyncLifetime
{
    private readonly string _masterKey = MasterKey.Generate().ToBase64();
    private TestDatabase _database = null!;
    private CatalogAdmin _admin = null!;
    private FakeUpstream _upstream = null!;
    private IHost _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(kind);
        _admin = await CatalogAdmin.StartAsync(_database, _masterKey);
        _upstream = await FakeUpstream.StartAsync();
    }

    private async Task<IHost> StartAppAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // The machine's own provider keys must not take part: only what the catalog says counts here.
        builder.Configuration["ANTHROPIC_API_KEY"] = "";
        builder.Configuration["OPENAI_API_KEY"] = "";
        builder.Services.AddModelgate(o =>
        {
            o.Database = _database.Options.ConnectionString;
            o.DataDirectory = _database.DataDirectory.Path;
            o.MasterKey = _masterKey;
        });
        _app = builder.Build();
        await _app.StartAsync();
        return _app;
    }

    private async Task WaitForVersionAsync(long version)
    {
        var catalog = _app.Services.GetRequiredService<CurrentCatalog>();
        var clock = Stopwatch.StartNew();
        while (catalog.State.Snapshot.Version < version)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the application never received catalog v{version}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task InjectedClient_HeldAcrossAChange_UsesTheNewModelAndKeyOnTheNextCall()
    {
        var anthropic = await _admin.AddProviderAsync("anthropic", _upstream.Url, "sk-ant-api03-client-A-000000000000000AAAA");
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-B-00000000000000000000BBBB");
        var claude = await _admin.AddModelAsync(anthropic, "claude-sonnet-4-20250514", parameters: new ModelParameters(MaxTokens: 900));
        var gpt = await _admin.AddModelAsync(openai, "gpt-4.1", parameters: new ModelParameters(Temperature: 0.3));
        await _admin.SetDefaultAsync("agents", claude);
        await StartAppAsync();
        var agents = _app.Services.GetRequiredKeyedService<IChatClient>("agents");

        var first = await agents.GetResponseAsync("plan my day");
        Assert.Equal(FakeUpstream.ReplyText("claude-sonnet-4-20250514"), first.Text);
        Assert.Equal("sk-ant-api03-client-A-000000000000000AAAA", _upstream.Last.ApiKey);
        Assert.Equal(900, _upstream.Last.Number("max_tokens"));

        var version = await _admin.SetDefaultAsync("agents", gpt);
        await WaitForVersionAsync(version);
        var second = await agents.GetResponseAsync("plan my day");

        Assert.Equal(FakeUpstream.ReplyText("gpt-4.1"), second.Text);
        Assert.Equal("/v1/chat/completions", _upstream.Last.Path);
        Assert.Equal("sk-proj-client-B-00000000000000000000BBBB", _upstream.Last.ApiKey);
        Assert.Equal(0.3, _upstream.Last.Number("temperature")!.Value, 3);
    }

    [Fact]
    public async Task Calls_AreRecordedAsClientUsage_WithTheProvidersTokensAndTheBuiltInPrice()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-U-00000000000000000000UUUU");
        await _admin.SetDefaultAsync("chat", await _admin.AddModelAsync(openai, "gpt-4.1"));
        _upstream.Usage = (Prompt: 1000, Completion: 100, Cached: 0);
        await StartAppAsync();
        var chat = _app.Services.GetRequiredKeyedService<IChatClient>("chat");

        await chat.GetResponseAsync("one");
        await foreach (var _ in chat.GetStreamingResponseAsync("two"))
        {
        }

        await _app.StopAsync();
        const string clientRows = "FROM usage_records r JOIN usage_series s ON s.id = r.series_id WHERE s.source = 'client' AND s.purpose = 'chat' AND s.model_name = 'gpt-4.1'";
        Assert.Equal(2L, Convert.ToInt64(await _database.ScalarAsync("SELECT COUNT(*) " + clientRows), System.Globalization.CultureInfo.InvariantCulture));
        // gpt-4.1 lists at 2 USD in, 8 USD out per million tokens: 0.0028 USD per call, 2.8e9 picodollars.
        Assert.Equal(5_600_000_000L, Convert.ToInt64(await _database.ScalarAsync("SELECT SUM(r.cost_picos) " + clientRows), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await _database.ScalarAsync("SELECT COUNT(*) " + clientRows + " AND r.flags = 1 AND r.ttft_ms IS NOT NULL"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Experiment_AssignsDirectModeCallsBySession_RecordsTheVariant_AndKeepsTheSessionFromTheProvider()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-X-00000000000000000000XXXX");
        await _admin.SetDefaultAsync("chat", await _admin.AddModelAsync(openai, "control-model"));
        var treatment = await _admin.AddModelAsync(openai, "treatment-model");
        await _admin.StartExperimentAsync("direct-split", "chat", new ExperimentVariantChanges("control", Weight: 50), new ExperimentVariantChanges("b", treatment.Id.ToString(), 50));
        await StartAppAsync();
        var chat = _app.Services.GetRequiredKeyedService<IChatClient>("chat");

        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var session = 0; session < 40; session++)
        {
            for (var call = 0; call < 2; call++)
            {
                var options = new ChatOptions { AdditionalProperties = new() { ["modelgate_session"] = $"user-{session}" } };
                await chat.GetResponseAsync("hi", options);
                var model = _upstream.Last.Model!;
                Assert.Equal(models.GetValueOrDefault($"user-{session}", model), model);
                models[$"user-{session}"] = model;
                Assert.DoesNotContain("modelgate_session", _upstream.Last.Body.GetRawText(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(["control-model", "treatment-model"], models.Values.Distinct().Order(StringComparer.Ordinal));
        await _app.StopAsync();
        var treated = models.Values.Count(m => m == "treatment-model") * 2;
        Assert.Equal((long)treated, Convert.ToInt64(await _database.ScalarAsync(
            "SELECT COUNT(*) FROM usage_records r JOIN usage_series s ON s.id = r.series_id WHERE s.variant = 'b' AND s.model_name = 'treatment-model' AND r.session_hash IS NOT NULL"),
            System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ShadowVariant_InDirectMode_GetsACopyRecordedUnderIt_WhileTheApplicationGetsTheControlsAnswer()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-S-00000000000000000000SSSS");
        await _admin.SetDefaultAsync("chat", await _admin.AddModelAsync(openai, "served-model"));
        var shadow = await _admin.AddModelAsync(openai, "shadow-model");
        await _admin.StartExperimentAsync("direct-shadow", "chat", new ExperimentVariantChanges("control", Weight: 1), new ExperimentVariantChanges("copy", shadow.Id.ToString(), 100, Shadow: true));
        await StartAppAsync();
        var chat = _app.Services.GetRequiredKeyedService<IChatClient>("chat");

        var answer = await chat.GetResponseAsync("hi");

        Assert.Equal(FakeUpstream.ReplyText("served-model"), answer.Text);
        var clock = Stopwatch.StartNew();
        var shadows = _app.Services.GetRequiredService<Core.Experiments.ShadowCalls>();
        while (!_upstream.Requests.Any(r => r.Model == "shadow-model") || shadows.InFlight > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the shadow variant never received its copy");
            await Task.Delay(10);
        }

        await _app.StopAsync();
        Assert.Equal(1L, Convert.ToInt64(await _database.ScalarAsync(
            "SELECT COUNT(*) FROM usage_records r JOIN usage_series s ON s.id = r.series_id WHERE s.variant = 'copy' AND s.model_name = 'shadow-model'"),
            System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AgentTypeClient_FallsBackToAgents_UntilItGetsItsOwnDefault()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-C-00000000000000000000CCCC");
        var general = await _admin.AddModelAsync(openai, "general-model");
        var research = await _admin.AddModelAsync(openai, "research-model");
        await _admin.SetDefaultAsync("agents", general);
        await StartAppAsync();
        var researcher = _app.Services.GetRequiredService<IModelgateClients>().ChatClient("agents/researcher");

        await researcher.GetResponseAsync("find papers");
        Assert.Equal("general-model", _upstream.Last.Model);

        await WaitForVersionAsync(await _admin.SetDefaultAsync("agents/researcher", research));
        await researcher.GetResponseAsync("find papers");
        Assert.Equal("research-model", _upstream.Last.Model);
    }

    [Fact]
    public async Task Embeddings_UseTheEmbeddingsDefault()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-E-00000000000000000000EEEE");
        var model = await _admin.AddModelAsync(openai, "text-embedding-3-small", type: "embedding");
        await _admin.SetDefaultAsync("embeddings", model);
        await StartAppAsync();
        var embeddings = _app.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("embeddings");

        var result = await embeddings.GenerateAsync(["hello world"]);

        Assert.Equal(FakeUpstream.VectorFor("hello world", 8), result[0].Vector.ToArray());
        Assert.Equal("text-embedding-3-small", _upstream.Last.Model);
    }

    [Fact]
    public async Task AliasClient_CallsTheAliasTarget_AndFollowsItWhenItMoves()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-alias-0000000000000000000000AAAA");
        var first = await _admin.AddModelAsync(openai, "gpt-4.1");
        var second = await _admin.AddModelAsync(openai, "gpt-4.1-mini");
        await _admin.SetAliasAsync("smart", first);
        await StartAppAsync();
        var smart = _app.Services.GetRequiredService<IModelgateClients>().ChatClient("smart");

        Assert.Equal(FakeUpstream.ReplyText("gpt-4.1"), (await smart.GetResponseAsync("hi")).Text);
        await WaitForVersionAsync(await _admin.SetAliasAsync("smart", second));
        Assert.Equal(FakeUpstream.ReplyText("gpt-4.1-mini"), (await smart.GetResponseAsync("hi")).Text);
        Assert.Equal("gpt-4.1-mini", _upstream.Last.Model);
    }

    [Fact]
    public async Task UnknownAlias_FailsWithAnExceptionNamingIt()
    {
        await StartAppAsync();

        var error = await Assert.ThrowsAsync<ModelgateConfigurationException>(
            () => _app.Services.GetRequiredService<IModelgateClients>().ChatClient("no-such-alias").GetResponseAsync("hi"));

        Assert.Equal("no-such-alias", error.Purpose);
        Assert.Contains("'no-such-alias' is neither a purpose", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingConfigured_TheCallFailsWithAnExceptionSayingWhatToConfigure()
    {
        await StartAppAsync();
        var chat = _app.Services.GetRequiredKeyedService<IChatClient>("chat");

        var error = await Assert.ThrowsAsync<ModelgateConfigurationException>(() => chat.GetResponseAsync("hi"));

        Assert.Contains("PUT /api/v1/llm-defaults/chat", error.Message, StringComparison.Ordinal);
        Assert.Contains("ANTHROPIC_API_KEY", error.Message, StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task ProviderError_IsRetried_ThenReachesTheCallerWithItsStatus()
    {
        var openai = await _admin.AddProviderAsync("openai", _upstream.Url + "/v1", "sk-proj-client-F-00000000000000000000FFFF");
        await _admin.SetDefaultAsync("chat", await _admin.AddModelAsync(openai, "gpt-4.1"));
        await StartAppAsync();
        // Failing every attempt: the first and the pipeline's retries.
        _upstream.FailNext(503, """{"error":{"message":"upstream overloaded","type":"server_error","param":null,"code":null}}""", times: 1 + Core.Pipeline.ProviderResilience.MaxRetries);

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => _app.Services.GetRequiredKeyedService<IChatClient>("chat").GetResponseAsync("hi"));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(1 + Core.Pipeline.ProviderResilience.MaxRetries, _upstream.Requests.Count);
        Assert.Equal(openai.Name, error.Provider);
        Assert.Equal("gpt-4.1", error.Model);
        Assert.Equal("chat", error.Purpose);
        Assert.DoesNotContain("client-F", error.ToString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            _app.Dispose();
        }

        await _upstream.DisposeAsync();
        await _admin.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class PurposeClientTests_Sqlite() : PurposeClientTests(DatabaseKind.Sqlite);

public sealed class PurposeClientTests_Postgres() : PurposeClientTests(DatabaseKind.Postgres);

/// <summary>An application whose catalog database is unreachable at start, with no last-known-good snapshot.</summary>
public sealed class UnreachableCatalogTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    [Fact]
    public async Task StartsAnyway_AndResolvesFromTheEnvironmentSayingSo()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["OPENAI_API_KEY"] = "sk-proj-env-fallback-000000000000000ENV1";
        builder.Configuration["OPENAI_BASE_URL"] = _upstream.Url + "/v1";
        builder.Configuration["ANTHROPIC_API_KEY"] = "";
        builder.Configuration["MODELGATE_CHAT_MODEL"] = "gpt-4o-mini";
        builder.Services.AddModelgate(o =>
        {
            o.Database = $"Data Source={Path.Combine(_data.Path, "missing", "gone.db")};Mode=ReadWrite";
            o.DataDirectory = _data.Path;
        });
        using var app = builder.Build();
        await app.StartAsync();

        var chat = app.Services.GetRequiredKeyedService<IChatClient>("chat");
        var resolved = (ResolvedModel)chat.GetService(typeof(ResolvedModel))!;
        await chat.GetResponseAsync("hi");

        Assert.Equal(ResolutionSource.Environment, resolved.Source);
        Assert.Contains("MODELGATE_CHAT_MODEL", resolved.Reason, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", _upstream.Last.Model);
        Assert.Equal("sk-proj-env-fallback-000000000000000ENV1", _upstream.Last.ApiKey);
        await app.StopAsync();
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _data.Dispose();
    }
}
