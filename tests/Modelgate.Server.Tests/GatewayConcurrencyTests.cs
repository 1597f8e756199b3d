using System.Net;
using System.Net.Http.Json;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>An instance at its limit of concurrent gateway requests refuses more at once, in each caller's format.</summary>
public sealed class GatewayConcurrencyTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ModelgateApp _app = null!;
    private FakeUpstream _upstream = null!;
    private HttpClient _admin = null!;
    private HttpClient _caller = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _upstream = await FakeUpstream.StartAsync();
        _app = new ModelgateApp(_db.Options, _db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS"] = "1" });
        _admin = _app.CreateAdminClient();
        var provider = await _admin.CreateProviderAsync("openai", apiKey: "sk-proj-concurrency-000000000000000CONC", baseUrl: _upstream.Url + "/v1");
        var model = await _admin.CreateModelAsync(provider.Str("id"), modelId: "gpt-busy");
        await (await _admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await _admin.PostJsonAsync("/api/v1/keys", new { name = "busy" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        _caller = _app.CreateClient();
        _caller.DefaultRequestHeaders.Authorization = new("Bearer", key);
    }

    private Task<HttpResponseMessage> ChatAsync(bool stream = false) =>
        _caller.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "chat", stream, messages = new[] { new { role = "user", content = "hi" } } }),
        }, HttpCompletionOption.ResponseHeadersRead);

    [Fact]
    public async Task PastTheLimit_CallersGet429InTheirFormat_TheAdminApiStillAnswers_AndCapacityComesBack()
    {
        _upstream.ChunkDelay = TimeSpan.FromMilliseconds(200);
        using var holding = await ChatAsync(stream: true);
        await using var held = await holding.Content.ReadAsStreamAsync();
        Assert.True(await held.ReadAsync(new byte[64]) > 0);

        var openAI = await ChatAsync();
        var anthropic = await _caller.PostJsonAsync("/v1/messages", new { model = "chat", max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } });
        var admin = await _admin.GetAsync("/api/v1/llm-providers");

        var openAIError = await openAI.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("gateway_busy", openAIError.GetProperty("error").Str("code"));
        Assert.Equal(TimeSpan.FromSeconds(1), openAI.Headers.RetryAfter?.Delta);
        var anthropicError = await anthropic.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limit_error", anthropicError.GetProperty("error").Str("type"));
        await admin.ExpectAsync(HttpStatusCode.OK);
        Assert.Single(_upstream.Requests);

        await held.CopyToAsync(Stream.Null);
        holding.Dispose();
        _upstream.ChunkDelay = TimeSpan.Zero;
        await (await ChatAsync()).ExpectAsync(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        _caller.Dispose();
        _admin.Dispose();
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
        await _db.DisposeAsync();
    }
}
