using System.Diagnostics;
using System.Net;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>Providers that misbehave, and callers that leave: the gateway stays bounded and tidy.</summary>
public sealed class GatewayUpstreamFaultTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ModelgateApp _app = null!;
    private FakeUpstream _upstream = null!;
    private HttpClient _caller = null!;
    private HttpClient _admin = null!;
    private string _providerId = "";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _upstream = await FakeUpstream.StartAsync();
        _app = new ModelgateApp(_db.Options, _db.DataDirectory.Path, new Dictionary<string, string?>
        {
            ["MODELGATE_GATEWAY_STREAM_IDLE_SECONDS"] = "1",
            ["MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS"] = "1",
            ["MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS"] = "5",
            ["MODELGATE_GATEWAY_MAX_RESPONSE_BYTES"] = "65536",
        });
        _admin = _app.CreateAdminClient();
        var provider = await _admin.CreateProviderAsync("openai", apiKey: "sk-proj-faulty-upstream-00000000000FLTY", baseUrl: _upstream.Url + "/v1");
        _providerId = provider.Str("id");
        var model = await _admin.CreateModelAsync(_providerId, modelId: "gpt-faulty");
        await (await _admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);

        // The same upstream as an Anthropic provider: OpenAI-format requests for it are translated.
        var anthropic = await _admin.CreateProviderAsync("anthropic", apiKey: "sk-ant-api03-faulty-upstream-000000FLTY", baseUrl: _upstream.Url);
        await (await _admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = anthropic.Str("id"), model_id = "claude-faulty", max_tokens = 100 })).ExpectAsync(HttpStatusCode.Created);
        await (await _admin.PutJsonAsync("/api/v1/llm-defaults/agents/translated", new { model_id = "claude-faulty" })).ExpectAsync(HttpStatusCode.OK);

        var key = (await (await _admin.PostJsonAsync("/api/v1/keys", new { name = "faults" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        _caller = _app.CreateClient();
        _caller.DefaultRequestHeaders.Authorization = new("Bearer", key);
    }

    private Task<HttpResponseMessage> ChatAsync(bool stream = false, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default, string model = "chat") =>
        _caller.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model, stream, messages = new[] { new { role = "user", content = "hi" } } }),
        }, completion, cancellationToken);

    private const string Translated = "agents/translated";

    private void Enqueue(UpstreamFault fault, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _upstream.Faults.Enqueue(fault);
        }
    }

    [Fact]
    public async Task CompleteStream_GetsNoErrorEvent()
    {
        var response = await ChatAsync(stream: true);
        var text = await response.Content.ReadAsStringAsync();

        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UpstreamFault.EndWithoutMarker, "chat", "ended before its end marker")]
    [InlineData(UpstreamFault.DropMidStream, "chat", "stream broke off")]
    [InlineData(UpstreamFault.EndMidEvent, "chat", "ended before its end marker")]
    [InlineData(UpstreamFault.DropMidStream, Translated, "failed mid-stream")]
    [InlineData(UpstreamFault.EndWithoutMarker, Translated, "ended without finishing its answer")]
    public async Task StreamCutShort_EndsWithATerminalErrorEvent_AndIsNotRetried(UpstreamFault fault, string model, string reason)
    {
        Enqueue(fault);

        var response = await ChatAsync(stream: true, model: model);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Hel\"", text, StringComparison.Ordinal);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.Single(_upstream.Requests);
        // Whatever was cut, the error is a whole event of its own that the caller's SSE parser can read.
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(events, e => e.Contains(reason, StringComparison.Ordinal));
        Assert.StartsWith("data: {\"error\"", error, StringComparison.Ordinal);
        Assert.DoesNotContain("lo w", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRetry_TakesAPermitOfTheProvidersRequestLimit()
    {
        await (await _admin.PutJsonAsync($"/api/v1/llm-providers/{_providerId}", new { requests_per_minute = 2 })).ExpectAsync(HttpStatusCode.OK);
        _upstream.FailNext(500, """{"error":{"message":"down","type":"server_error","param":null,"code":null}}""");

        await (await ChatAsync()).ExpectAsync(HttpStatusCode.OK);
        var limited = await ChatAsync();

        await limited.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("2 requests per minute", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, _upstream.Requests.Count);
    }

    [Fact]
    public async Task RetriesAndFallbacks_TogetherStayWithinTheRequestTimeout()
    {
        await (await _admin.PutJsonAsync("/api/v1/llm-fallbacks/chat", new { model_ids = new[] { "claude-faulty" } })).ExpectAsync(HttpStatusCode.OK);
        // Three slow attempts on each model would take over 6 s; the request timeout is 5 s.
        Enqueue(UpstreamFault.SlowHeaders, times: 6);
        var clock = Stopwatch.StartNew();

        var response = await ChatAsync();
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("request timeout of 5 s", text, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6.5), $"took {clock.Elapsed}");
        Assert.Contains(_upstream.Requests, r => r.Path == "/v1/messages");
    }

    [Fact]
    public async Task StreamEndingInABareDone_WithoutItsLineEnd_IsComplete()
    {
        Enqueue(UpstreamFault.BareDoneAtTheEnd);

        var text = await (await ChatAsync(stream: true)).Content.ReadAsStringAsync();

        Assert.EndsWith("\"Hel\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("error", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UpstreamFault.HtmlPage, "not JSON")]
    [InlineData(UpstreamFault.OversizedAnswer, "over the limit of 65536 bytes")]
    [InlineData(UpstreamFault.Redirect, "answered HTTP 307")]
    public async Task BrokenAnswer_IsA502InOpenAIFormat_NotRelayedNorFollowed(UpstreamFault fault, string reason)
    {
        _upstream.Faults.Enqueue(fault);

        var response = await ChatAsync();
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", text, StringComparison.Ordinal);
        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData("chat", false)]
    [InlineData(Translated, true)]
    public async Task ProviderSlowerThanTheFirstByteTimeout_IsA504AfterItsRetries(string model, bool stream)
    {
        Enqueue(UpstreamFault.SlowHeaders, times: 3);
        var clock = Stopwatch.StartNew();

        var response = await ChatAsync(stream, model: model);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer in time", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(3, _upstream.Requests.Count);
    }

    [Fact]
    public async Task TooManyMessages_IsA400BeforeAnythingIsSent()
    {
        var messages = Enumerable.Range(0, 2001).Select(_ => new { role = "user", content = "x" }).ToArray();

        var response = await _caller.PostJsonAsync("/v1/chat/completions", new { model = "chat", messages });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_upstream.Requests);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData(Translated)]
    public async Task StreamThatStalls_EndsWithATerminalErrorEvent_NotAHang(string model)
    {
        _upstream.Faults.Enqueue(UpstreamFault.StallMidStream);
        var clock = Stopwatch.StartNew();

        var response = await ChatAsync(stream: true, model: model);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Hel\"", text, StringComparison.Ordinal);
        Assert.Contains("sent nothing for 1 s", text, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
        await WaitAsync(() => _upstream.AbortedStreams == 1, "the stalled upstream request is closed");
        // After the first byte nothing is retried or replayed.
        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "chat")]
    [InlineData("/v1/messages", Translated)]
    public async Task EndlessStream_IsEndedAtTheSizeLimit_WithATerminalErrorEvent_InEitherWireFormat(string path, string model)
    {
        // One guard for both wire formats: an OpenAI stream relayed from an OpenAI provider, an Anthropic one from an
        // Anthropic provider (the "translated" purpose's model is Anthropic's, so /v1/messages passes it through).
        Enqueue(UpstreamFault.EndlessStream);

        var response = await _caller.PostJsonAsync(path, new { model, stream = true, max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("more ", text, StringComparison.Ordinal);
        Assert.Contains("passed the limit of 65536 bytes", text, StringComparison.Ordinal);
        Assert.InRange(text.Length, 32 * 1024, 65536 + 2048);
        if (path == "/v1/messages")
        {
            Assert.Contains("event: error", text, StringComparison.Ordinal);
            Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        }

        await WaitAsync(() => _upstream.AbortedStreams == 1, "the provider's endless stream is closed, not left running");
    }

    [Fact]
    public async Task CallerLeavingMidStream_CancelsTheUpstreamRequest_AndTheNextRequestWorks()
    {
        _upstream.ChunkDelay = TimeSpan.FromMilliseconds(300);
        using var leave = new CancellationTokenSource();
        var response = await ChatAsync(stream: true, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        var stream = await response.Content.ReadAsStreamAsync(leave.Token);
        var first = new byte[64];
        Assert.True(await stream.ReadAsync(first, leave.Token) > 0);

        await leave.CancelAsync();
        response.Dispose();

        await WaitAsync(() => _upstream.AbortedStreams == 1, "the upstream request is cancelled");
        _upstream.ChunkDelay = TimeSpan.Zero;
        var next = await ChatAsync();
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"gave up waiting until {what}");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        _caller.Dispose();
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
        await _db.DisposeAsync();
    }
}
