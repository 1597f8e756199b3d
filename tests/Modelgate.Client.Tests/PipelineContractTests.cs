using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Server;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Client.Tests;

/// <summary>
/// The rules an administrator configures hold whichever way an application calls: the same scenarios run through the
/// gateway (an application with <c>AddModelgateGateway()</c>, the OpenAI SDK underneath, against a real server) and
/// through <c>AddModelgate()</c> in direct mode (the application calls the providers itself). Each scenario fails if
/// that entrance skips the rule. The catalog is configured through the admin API before the application starts.
/// </summary>
public abstract class PipelineContractTests : IAsyncLifetime
{
    /// <summary>One attempt's first-byte bound and the call's deadline, the same for both entrances.</summary>
    protected static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(2);
    protected static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);
    protected static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromSeconds(2);

    private readonly List<IHost> _apps = [];
    private HttpClient _admin = null!;

    protected string MasterKey { get; } = Core.Secrets.MasterKey.Generate().ToBase64();

    protected TestDatabase Database { get; private set; } = null!;

    protected ModelgateApp Server { get; private set; } = null!;

    /// <summary>The provider of the models the purposes resolve to first.</summary>
    protected FakeUpstream Primary { get; private set; } = null!;

    /// <summary>Another provider, for the fallbacks.</summary>
    protected FakeUpstream Backup { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        Primary = await FakeUpstream.StartAsync();
        Backup = await FakeUpstream.StartAsync();
        Server = new ModelgateApp(Database.Options, Database.DataDirectory.Path, new Dictionary<string, string?>
        {
            ["MODELGATE_MASTER_KEY"] = MasterKey,
            ["MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS"] = FirstByteTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS"] = RequestTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MODELGATE_GATEWAY_STREAM_IDLE_SECONDS"] = StreamIdleTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Server.UseKestrel(0);
        Server.StartServer();
        _admin = Server.CreateAdminClient();
    }

    /// <summary>
    /// Starts an application of this entrance, calling as the virtual key <paramref name="keyName"/> (whose secret is
    /// <paramref name="keySecret"/>), and gives it the client for <paramref name="purpose"/>.
    /// </summary>
    protected abstract Task<IChatClient> ChatAsync(IHostApplicationBuilder builder, string purpose, string keyName, string keySecret);

    /// <summary>The admin API of the server.</summary>
    protected HttpClient Admin => _admin;

    // An application calling as a new virtual key (created with the given fields: allow-lists, budget).
    protected async Task<IChatClient> StartAsync(string purpose = "chat", object? key = null, string? keyName = null)
    {
        var name = keyName ?? Catalog.Unique("contract-app");
        var fields = System.Text.Json.JsonSerializer.SerializeToNode(key ?? new { })!.AsObject();
        fields["name"] = name;
        var secret = (await (await _admin.PostJsonAsync("/api/v1/keys", fields)).ExpectAsync(HttpStatusCode.Created)).Str("key");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Configuration["ANTHROPIC_API_KEY"] = "";
        builder.Configuration["OPENAI_API_KEY"] = "";
        return await ChatAsync(builder, purpose, name, secret);
    }

    /// <summary>Where this entrance logs the pipeline's failures: the server's log, or the application's.</summary>
    protected abstract IEnumerable<FakeLogRecord> Logged();

    /// <summary>The log records of the applications started so far.</summary>
    protected IEnumerable<FakeLogRecord> AppLogs() => _apps.SelectMany(a => a.Services.GetRequiredService<FakeLogCollector>().GetSnapshot());

    // The pipeline's warnings, which must name provider and model and never a key.
    private List<string> PipelineWarnings()
    {
        var records = Logged().ToList();
        Assert.DoesNotContain(records, r => r.Message.Contains("sk-proj-contract", StringComparison.Ordinal) || (r.Exception?.ToString().Contains("sk-proj-contract", StringComparison.Ordinal) ?? false));
        return [.. records.Where(r => r.Category == PipelineLog.Category && r.Level == LogLevel.Warning).Select(r => r.Message)];
    }

    /// <summary>Builds and starts the application (for the entrances).</summary>
    protected async Task<IServiceProvider> RunAsync(IHostApplicationBuilder builder)
    {
        var app = ((HostApplicationBuilder)builder).Build();
        _apps.Add(app);
        await app.StartAsync();
        return app.Services;
    }

    private async Task<string> ProviderAsync(string baseUrl, int? requestsPerMinute = null, long? tokensPerMinute = null) =>
        (await (await _admin.PostJsonAsync("/api/v1/llm-providers", new
        {
            name = Catalog.Unique("openai"), type = "openai", api_key = "sk-proj-contract-000000000000000000000000", base_url = baseUrl,
            requests_per_minute = requestsPerMinute, tokens_per_minute = tokensPerMinute,
        })).ExpectAsync(HttpStatusCode.Created)).Str("id");

    private async Task ModelAsync(string providerId, string modelId, decimal? pricePerMillion = null) =>
        await (await _admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = providerId, model_id = modelId, type = "chat", input_price_per_million = pricePerMillion, output_price_per_million = pricePerMillion,
        })).ExpectAsync(HttpStatusCode.Created);

    private async Task DefaultAsync(string purpose, string modelId) =>
        await (await _admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);

    private async Task FallbacksAsync(string purpose, params string[] modelIds) =>
        await (await _admin.PutJsonAsync($"/api/v1/llm-fallbacks/{purpose}", new { model_ids = modelIds })).ExpectAsync(HttpStatusCode.OK);

    // "chat" resolves to primary-model at Primary, with backup-model at Backup as its fallback.
    protected async Task ChainAsync(string? primaryUrl = null, int? requestsPerMinute = null)
    {
        await ModelAsync(await ProviderAsync(primaryUrl ?? Primary.Url + "/v1", requestsPerMinute), "primary-model");
        await ModelAsync(await ProviderAsync(Backup.Url + "/v1"), "backup-model");
        await DefaultAsync("chat", "primary-model");
        await FallbacksAsync("chat", "backup-model");
    }

    private const string ServerError = """{"error":{"message":"upstream broke","type":"server_error","param":null,"code":null}}""";

    [Fact]
    public async Task A5xxBeforeTheFirstByte_IsRetried_ThenTheFallbackServes()
    {
        await ChainAsync();
        Primary.FailNext(500, ServerError, times: 100);
        var chat = await StartAsync();

        var response = await chat.GetResponseAsync("hello");

        Assert.Equal(FakeUpstream.ReplyText("backup-model"), response.Text);
        Assert.Equal(1 + ProviderResilience.MaxRetries, Primary.Requests.Count);
        Assert.Single(Backup.Requests);
        // Logged once, after its retries, with provider, model and status.
        var warning = Assert.Single(PipelineWarnings());
        Assert.Matches("^Provider openai-[0-9a-f]{8} failed for model primary-model: HTTP 500\\.$", warning);
    }

    [Fact]
    public async Task AStreamFailingBeforeItsFirstUpdate_GoesToTheFallback()
    {
        await ChainAsync();
        Primary.FailNext(503, ServerError, times: 100);
        var chat = await StartAsync();

        var text = string.Concat(await chat.GetStreamingResponseAsync("hello").Select(u => u.Text).ToListAsync());

        Assert.Equal(FakeUpstream.ReplyText("backup-model"), text);
        Assert.Equal("backup-model", Backup.Last.Model);
        Assert.Equal(1 + ProviderResilience.MaxRetries, Primary.Requests.Count);
    }

    [Fact]
    public async Task AProviderThatRefusesConnections_GoesToTheFallback()
    {
        await ChainAsync(primaryUrl: $"http://127.0.0.1:{ClosedPort()}/v1");
        var chat = await StartAsync();

        var response = await chat.GetResponseAsync("hello");

        Assert.Equal(FakeUpstream.ReplyText("backup-model"), response.Text);
    }

    [Fact]
    public async Task AStreamCutAfterItsFirstUpdate_IsNotRetried_AndTheCallerSeesTheFailure()
    {
        await ChainAsync();
        Primary.Faults.Enqueue(UpstreamFault.DropMidStream);
        var chat = await StartAsync();
        var received = new List<string>();

        await Assert.ThrowsAsync<ModelgateProviderException>(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync("hello"))
            {
                received.Add(update.Text);
            }
        });

        Assert.NotEmpty(string.Concat(received));
        Assert.Single(Primary.Requests);
        Assert.Empty(Backup.Requests);
        await WaitForAsync(() => PipelineWarnings().Count > 0);
        Assert.Contains("cut the stream of model primary-model", Assert.Single(PipelineWarnings()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamThatFallsSilentAfterItsFirstUpdate_FailsAfterTheIdleTimeout()
    {
        await ChainAsync();
        Primary.Faults.Enqueue(UpstreamFault.StallMidStream);
        var chat = await StartAsync();
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ModelgateProviderException>(async () =>
        {
            await foreach (var _ in chat.GetStreamingResponseAsync("hello"))
            {
            }
        });

        Assert.InRange(clock.Elapsed, StreamIdleTimeout - TimeSpan.FromSeconds(0.5), StreamIdleTimeout + TimeSpan.FromSeconds(10));
        Assert.Single(Primary.Requests);
        Assert.Empty(Backup.Requests);
        await WaitForAsync(() => PipelineWarnings().Count > 0);
        Assert.Contains("sent nothing for 2 s", Assert.Single(PipelineWarnings()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderAtItsRequestLimit_IsNotCalled_AndTheCallFailsWith429()
    {
        await ModelAsync(await ProviderAsync(Primary.Url + "/v1", requestsPerMinute: 2), "limited-model");
        await DefaultAsync("chat", "limited-model");
        var chat = await StartAsync();
        await chat.GetResponseAsync("one");
        await chat.GetResponseAsync("two");

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("three"));

        Assert.Equal(429, error.StatusCode);
        Assert.Contains("2 requests per minute", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Primary.Requests.Count);
        Assert.Contains("is at its limit of 2 requests per minute (2 used, the call needed 1): a call for model limited-model was not sent.", Assert.Single(PipelineWarnings()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderAtItsRequestLimit_LeavesTheCallToTheFallback()
    {
        await ChainAsync(requestsPerMinute: 1);
        var chat = await StartAsync();
        await chat.GetResponseAsync("one");

        var response = await chat.GetResponseAsync("two");

        Assert.Equal(FakeUpstream.ReplyText("backup-model"), response.Text);
        Assert.Single(Primary.Requests);
    }

    private const string RateLimited = """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";

    [Fact]
    public async Task AProvidersOwn429_IsNotRetried_GoesToTheFallback_AndNeverOpensTheCircuit()
    {
        await ChainAsync();
        Primary.FailNext(429, RateLimited, times: 8);
        var chat = await StartAsync();

        // Eight 429s in a row: each call asks the primary once, and the backup serves it. Were a 429 a failure, the
        // circuit (half of at least 6 calls) would have opened and the last calls would not reach the primary.
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(FakeUpstream.ReplyText("backup-model"), (await chat.GetResponseAsync("hello")).Text);
        }

        Assert.Equal(8, Primary.Requests.Count);
        Assert.Equal(FakeUpstream.ReplyText("primary-model"), (await chat.GetResponseAsync("hello")).Text);
        Assert.Equal(9, Primary.Requests.Count);
        Assert.DoesNotContain(PipelineWarnings(), w => w.Contains("Circuit opened", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProvidersOwn429_WithoutAFallback_ReachesTheCallerAs429()
    {
        await ModelAsync(await ProviderAsync(Primary.Url + "/v1"), "busy-model");
        await DefaultAsync("chat", "busy-model");
        Primary.FailNext(429, RateLimited);
        var chat = await StartAsync();

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(429, error.StatusCode);
        Assert.Single(Primary.Requests);
    }

    [Fact]
    public async Task AProviderAtItsTokenLimit_IsNotCalledUntilTheMinuteFrees()
    {
        Primary.Usage = (Prompt: 1000, Completion: 100, Cached: 0);
        await ModelAsync(await ProviderAsync(Primary.Url + "/v1", tokensPerMinute: 1500), "metered-model");
        await DefaultAsync("chat", "metered-model");
        var chat = await StartAsync();
        await chat.GetResponseAsync("one");
        await chat.GetResponseAsync("two");

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("three"));

        Assert.Equal(429, error.StatusCode);
        Assert.Contains("1500 tokens per minute", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Primary.Requests.Count);
    }

    [Fact]
    public async Task AModelThatKeepsFailing_OpensItsCircuit_AndIsNoLongerCalled_WhileItsProvidersOtherModelsAre()
    {
        var provider = await ProviderAsync(Primary.Url + "/v1");
        await ModelAsync(provider, "broken-model");
        await ModelAsync(provider, "healthy-model");
        await DefaultAsync("chat", "broken-model");
        await DefaultAsync("agents", "healthy-model");
        Primary.FailNext(500, ServerError, times: 6);
        var chat = await StartAsync();

        // Two calls of three failing attempts each: six failures in the breaker's window open it.
        for (var i = 0; i < 2; i++)
        {
            // 500 in direct mode; the gateway answers 502 for a provider's 5xx.
            Assert.True((await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("hello"))).StatusCode >= 500);
        }

        var open = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(503, open.StatusCode);
        Assert.Equal(6, Primary.Requests.Count);
        var agents = await StartAsync("agents");
        Assert.Equal(FakeUpstream.ReplyText("healthy-model"), (await agents.GetResponseAsync("hello")).Text);

        // After its break (15 s) the model is tried again, and answers: the circuit closes.
        var clock = Stopwatch.StartNew();
        ChatResponse? answered = null;
        while (answered is null && clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            try
            {
                answered = await chat.GetResponseAsync("hello again");
            }
            catch (ModelgateProviderException e) when (e.StatusCode == 503)
            {
                // Still open.
            }
        }

        Assert.NotNull(answered);
        Assert.Equal(FakeUpstream.ReplyText("broken-model"), answered.Text);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40));
        Assert.Equal(7, Primary.Requests.Count(r => r.Model == "broken-model"));
    }

    [Fact]
    public async Task RetriesAndFallbacksTogether_AreBoundByTheCallsDeadline()
    {
        await ChainAsync();
        for (var i = 0; i < 10; i++)
        {
            Primary.Faults.Enqueue(UpstreamFault.SlowHeaders);
            Backup.Faults.Enqueue(UpstreamFault.SlowHeaders);
        }

        var chat = await StartAsync();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(504, error.StatusCode);
        // Each slow attempt gives up at the first-byte timeout (three at the primary: 3 x 2 s), the fallback is tried,
        // and the whole call ends at its deadline (8 s), not after 30 s a header.
        Assert.InRange(clock.Elapsed, RequestTimeout - TimeSpan.FromSeconds(0.5), RequestTimeout + TimeSpan.FromSeconds(10));
        Assert.Equal(1 + ProviderResilience.MaxRetries, Primary.Requests.Count);
        Assert.NotEmpty(Backup.Requests);
    }

    [Fact]
    public async Task AStreamLongerThanTheDeadline_IsNotCut_AfterItsFirstUpdate()
    {
        await ChainAsync();
        // 45 words, a chunk each, 0.2 s apart: over 9 s, past the call's 8 s deadline, which bounds only the wait for
        // the first update. The gap stays a tenth of the 2 s idle timeout, so a loaded machine's stall is not a cut.
        Primary.Reply = string.Join(' ', Enumerable.Range(1, 45).Select(i => $"word{i}"));
        Primary.ChunkDelay = TimeSpan.FromSeconds(0.2);
        var chat = await StartAsync();
        var clock = Stopwatch.StartNew();

        var updates = await chat.GetStreamingResponseAsync("hello").ToListAsync();

        Assert.True(clock.Elapsed > RequestTimeout, $"the stream took {clock.Elapsed}");
        Assert.Equal(Primary.Reply, string.Concat(updates.Select(u => u.Text)));
        Assert.Contains(updates, u => u.FinishReason is not null);
        Assert.Empty(Backup.Requests);
    }

    [Fact]
    public async Task EveryCall_LeavesOneUsageRecordOfTheSameShape_ServedFallenBackOrRefused()
    {
        await ChainAsync();
        Primary.Usage = (Prompt: 100, Completion: 10, Cached: 0);
        Backup.Usage = (Prompt: 200, Completion: 20, Cached: 0);
        var name = Catalog.Unique("usage-shape");
        var chat = await StartAsync(keyName: name);

        await chat.GetResponseAsync("hello");
        Primary.FailNext(500, ServerError, times: 3);
        await chat.GetResponseAsync("hello");
        Primary.FailNext(400, """{"error":{"message":"bad request","type":"invalid_request_error","param":null,"code":null}}""");
        await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("hello"));

        // The model that served (or was tried last), the status the gateway answers, its error class, the provider's tokens.
        var records = await UsageRecordsAsync(name, 3);
        Assert.Equal(
            [("primary-model", 200, null, 100L, 10L), ("backup-model", 200, null, 200L, 20L), ("primary-model", 400, "upstream_rejected", 0L, 0L)],
            records.Select(r => (r.Model, r.Status, r.ErrorClass, r.Input, r.Output)));
        Assert.All(records, r => Assert.Equal(("chat", "chat", false), (r.Purpose, r.Operation, r.Estimated)));
    }

    // The usage records of a key's calls, oldest first, once the background writer has stored the expected number.
    private async Task<List<(string Model, int Status, string? ErrorClass, long Input, long Output, string Purpose, string Operation, bool Estimated)>> UsageRecordsAsync(
        string keyName, int expected)
    {
        var contexts = new ModelgateDbContextFactory(Database.Options);
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            await using var db = contexts.CreateDbContext();
            var keyId = db.VirtualKeys.Single(k => k.Name == keyName).Id;
            var rows = await (
                from record in db.Set<Storage.Entities.UsageRecordEntity>()
                join series in db.UsageSeries on record.SeriesId equals series.Id
                where series.KeyId == keyId
                orderby record.AtMs, record.Id
                select new { series.ModelName, record.Status, record.ErrorClass, record.InputTokens, record.OutputTokens, series.Purpose, series.Operation, record.Flags })
                .ToListAsync();
            if (rows.Count >= expected || waited.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Equal(expected, rows.Count);
                return [.. rows.Select(r => (r.ModelName, r.Status, r.ErrorClass, r.InputTokens, r.OutputTokens, r.Purpose, r.Operation,
                    (r.Flags & (int)Storage.Entities.UsageFlags.Estimated) != 0))];
            }
        }
    }

    [Fact]
    public async Task AKeyThatHasSpentItsBudget_IsRefusedWith429_AndTheProviderIsNotCalled()
    {
        Primary.Usage = (Prompt: 1000, Completion: 1000, Cached: 0);
        // 1 USD per million tokens in and out: 0.002 USD a call, over the budget after one.
        await ModelAsync(await ProviderAsync(Primary.Url + "/v1"), "priced-model", pricePerMillion: 1m);
        await DefaultAsync("chat", "priced-model");
        var chat = await StartAsync(key: new { budget_usd = 0.001m, budget_period = "daily" });
        await chat.GetResponseAsync("one");

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("two"));

        Assert.Equal(429, error.StatusCode);
        Assert.Contains("daily budget of 0.001 USD", error.Message, StringComparison.Ordinal);
        Assert.Single(Primary.Requests);
    }

    [Fact]
    public async Task AKeyWithABudget_MayNotCallAnUnpricedModel()
    {
        await ModelAsync(await ProviderAsync(Primary.Url + "/v1"), "free-model");
        await DefaultAsync("chat", "free-model");
        var chat = await StartAsync(key: new { budget_usd = 5m, budget_period = "monthly" });

        var error = await Assert.ThrowsAsync<ModelgateConfigurationException>(() => chat.GetResponseAsync("hello"));

        Assert.Contains("has no price", error.Message, StringComparison.Ordinal);
        Assert.Empty(Primary.Requests);
    }

    [Fact]
    public async Task AKeyNotAllowedThePurpose_IsRefused_AndAFallbackItMayNotUse_IsSkipped()
    {
        await ChainAsync();
        var refused = await StartAsync(key: new { allowed_purposes = new[] { "agents" } });

        var error = await Assert.ThrowsAsync<ModelgateConfigurationException>(() => refused.GetResponseAsync("hello"));

        Assert.Contains("may not use 'chat'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Primary.Requests);

        Primary.FailNext(500, ServerError, times: 100);
        var primaryOnly = await StartAsync(key: new { allowed_models = new[] { "primary-model" } });
        Assert.True((await Assert.ThrowsAsync<ModelgateProviderException>(() => primaryOnly.GetResponseAsync("hello"))).StatusCode >= 500);
        Assert.Empty(Backup.Requests);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            app.Dispose();
        }

        _admin.Dispose();
        await Server.DisposeAsync();
        await Primary.DisposeAsync();
        await Backup.DisposeAsync();
        await Database.DisposeAsync();
    }
}
