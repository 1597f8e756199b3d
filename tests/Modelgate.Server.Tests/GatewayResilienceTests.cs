using System.Net;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>Retries, fallback chains and circuit breakers, with providers that fail before the first byte.</summary>
public sealed class GatewayResilienceTests : IAsyncLifetime
{
    private const string Failure = """{"error":{"message":"upstream down","type":"server_error","param":null,"code":null}}""";
    private TestDatabase _db = null!;
    private ModelgateApp _app = null!;
    private FakeUpstream _primary = null!;
    private FakeUpstream _secondary = null!;
    private HttpClient _admin = null!;
    private HttpClient _caller = null!;
    private string _primaryModel = "";
    private string _secondaryModel = "";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _primary = await FakeUpstream.StartAsync();
        _secondary = await FakeUpstream.StartAsync();
        _app = new ModelgateApp(_db.Options, _db.DataDirectory.Path);
        _admin = _app.CreateAdminClient();
        var first = await _admin.CreateProviderAsync("openai", apiKey: "sk-proj-primary-0000000000000000000PRIM", baseUrl: _primary.Url + "/v1");
        var second = await _admin.CreateProviderAsync("openai-compatible", apiKey: "sk-secondary-000000000000000000000SECO", baseUrl: _secondary.Url + "/v1");
        _primaryModel = (await _admin.CreateModelAsync(first.Str("id"), modelId: "primary-model")).Str("model_id");
        _secondaryModel = (await _admin.CreateModelAsync(second.Str("id"), modelId: "secondary-model")).Str("model_id");
        await (await _admin.PutJsonAsync("/api/v1/llm-defaults/agents", new { model_id = _primaryModel })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await _admin.PostJsonAsync("/api/v1/keys", new { name = "resilience" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        _caller = _app.CreateClient();
        _caller.DefaultRequestHeaders.Authorization = new("Bearer", key);
    }

    private Task<HttpResponseMessage> ChatAsync() =>
        _caller.PostJsonAsync("/v1/chat/completions", new { model = "agents", messages = new[] { new { role = "user", content = "hi" } } });

    [Fact]
    public async Task OneFailure_IsRetried_AndTheCallerNeverSeesIt()
    {
        _primary.FailNext(503, Failure);

        var response = await ChatAsync();

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, _primary.Requests.Count);
        Assert.Equal("primary-model", response.Headers.GetValues("x-modelgate-model").Single());
    }

    [Fact]
    public async Task DefaultKeepsFailing_TheFallbackServes_AndTheResponseSaysWhich()
    {
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { _secondaryModel } })).ExpectAsync(HttpStatusCode.OK);
        _primary.FailNext(500, Failure, times: 3);

        var response = await ChatAsync();
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("secondary-model", response.Headers.GetValues("x-modelgate-model").Single());
        Assert.Equal("secondary-model", body.Str("model"));
        Assert.Equal(3, _primary.Requests.Count);
        Assert.Equal("sk-secondary-000000000000000000000SECO", _secondary.Last.ApiKey);
    }

    [Fact]
    public async Task ProviderRefusingItsKey_IsNotRetried_AndTheFallbackServes()
    {
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { _secondaryModel } })).ExpectAsync(HttpStatusCode.OK);
        _primary.FailNext(401, """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");

        var response = await ChatAsync();

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("secondary-model", response.Headers.GetValues("x-modelgate-model").Single());
        Assert.Single(_primary.Requests);
    }

    [Fact]
    public async Task WithoutFallbacks_ThePersistentFailureReachesTheCallerAsA502()
    {
        _primary.FailNext(500, Failure, times: 3);

        var response = await ChatAsync();

        await response.ExpectAsync(HttpStatusCode.BadGateway);
        Assert.Empty(_secondary.Requests);
    }

    [Fact]
    public async Task ProviderThatKeepsFailing_IsCutOffByItsCircuit_AndRequestsGoStraightToTheFallback()
    {
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { _secondaryModel } })).ExpectAsync(HttpStatusCode.OK);
        _primary.FailNext(500, Failure, times: 100);

        for (var i = 0; i < 3; i++)
        {
            await (await ChatAsync()).ExpectAsync(HttpStatusCode.OK);
        }

        var primaryCalls = _primary.Requests.Count;
        for (var i = 0; i < 5; i++)
        {
            var response = await ChatAsync();
            await response.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("secondary-model", response.Headers.GetValues("x-modelgate-model").Single());
        }

        Assert.Equal(primaryCalls, _primary.Requests.Count);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"agents"}""", "'messages' is required")]
    [InlineData("/v1/chat/completions", """{"model":"agents","messages":[]}""", "at least one message")]
    [InlineData("/v1/chat/completions", """{"model":"agents","messages":["hi"]}""", "'messages[0]' must be an object with a 'role'")]
    [InlineData("/v1/messages", """{"model":"agents","max_tokens":10}""", "messages: Field required")]
    [InlineData("/v1/messages", """{"model":"agents","max_tokens":10,"messages":[{"content":"hi"}]}""", "messages.0: each message must be an object with a 'role'")]
    [InlineData("/v1/embeddings", """{"model":"agents"}""", "'input' is required")]
    public async Task BadInput_IsA400InTheCallersFormat_EvenWhileTheModelsCircuitIsOpen(string path, string body, string message)
    {
        // Open the primary's circuit: every attempt fails, with no fallback to hide it.
        _primary.FailNext(500, Failure, times: 100);
        for (var i = 0; i < 3; i++)
        {
            await ChatAsync();
        }

        var open = await ChatAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        Assert.Contains("upstream_unavailable", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var sent = _primary.Requests.Count;

        var response = await _caller.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var error = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(message, error.GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error.GetProperty("error").Str("type"));
        // Anthropic's error shape has a top-level "type": "error"; OpenAI's has none.
        Assert.Equal(path == "/v1/messages", error.TryGetProperty("type", out var type) && type.GetString() == "error");
        Assert.Equal(sent, _primary.Requests.Count);
    }

    [Fact]
    public async Task ProviderAtItsRequestLimit_Is429WithRetryAfter_OrServedByTheFallback()
    {
        var providers = await (await _admin.GetAsync("/api/v1/llm-providers")).JsonAsync();
        var primary = providers.GetProperty("data").EnumerateArray().Single(p => p.Str("type") == "openai");
        await (await _admin.PutJsonAsync($"/api/v1/llm-providers/{primary.Str("id")}", new { requests_per_minute = 2 })).ExpectAsync(HttpStatusCode.OK);

        await (await ChatAsync()).ExpectAsync(HttpStatusCode.OK);
        await (await ChatAsync()).ExpectAsync(HttpStatusCode.OK);
        var limited = await ChatAsync();

        await limited.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(2, _primary.Requests.Count);

        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { _secondaryModel } })).ExpectAsync(HttpStatusCode.OK);
        var served = await ChatAsync();
        await served.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("secondary-model", served.Headers.GetValues("x-modelgate-model").Single());
    }

    [Fact]
    public async Task Fallbacks_AreValidated_AndListed()
    {
        var provider = await _admin.CreateProviderAsync();
        var embedding = await _admin.CreateModelAsync(provider.Str("id"), type: "embedding");

        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { embedding.Str("id") } })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { "no-such-model" } })).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { _secondaryModel, _secondaryModel } })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/agents", new { model_ids = new[] { _secondaryModel } })).ExpectAsync(HttpStatusCode.OK);

        var all = await (await _admin.GetAsync("/api/v1/llm-fallbacks")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("secondary-model", all.GetProperty("agents")[0].Str("model_id"));
    }

    public async Task DisposeAsync()
    {
        _caller.Dispose();
        await _app.DisposeAsync();
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
        await _db.DisposeAsync();
    }
}
