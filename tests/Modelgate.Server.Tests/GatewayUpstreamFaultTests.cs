using System.Diagnostics;
using System.Net;
using Modelgate.Server.Tests.Support;
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

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _upstream = await FakeUpstream.StartAsync();
        _app = new ModelgateApp(_db.Options, _db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_GATEWAY_STREAM_IDLE_SECONDS"] = "1", ["MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS"] = "1" });
        var admin = _app.CreateAdminClient();
        var provider = await admin.CreateProviderAsync("openai", apiKey: "sk-proj-faulty-upstream-00000000000FLTY", baseUrl: _upstream.Url + "/v1");
        var model = await admin.CreateModelAsync(provider.Str("id"), modelId: "gpt-faulty");
        await (await admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await admin.PostJsonAsync("/api/v1/keys", new { name = "faults" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        _caller = _app.CreateClient();
        _caller.DefaultRequestHeaders.Authorization = new("Bearer", key);
    }

    private Task<HttpResponseMessage> ChatAsync(bool stream = false, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default) =>
        _caller.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "chat", stream, messages = new[] { new { role = "user", content = "hi" } } }),
        }, completion, cancellationToken);

    [Theory]
    [InlineData(UpstreamFault.HtmlPage, "not JSON")]
    [InlineData(UpstreamFault.JsonWithoutUsage, "without valid token usage")]
    public async Task BrokenAnswer_IsA502InOpenAIFormat(UpstreamFault fault, string reason)
    {
        _upstream.Faults.Enqueue(fault);

        var response = await ChatAsync();
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderSlowerThanTheFirstByteTimeout_IsA504AfterItsRetries()
    {
        for (var i = 0; i < 3; i++)
        {
            _upstream.Faults.Enqueue(UpstreamFault.SlowHeaders);
        }

        var clock = Stopwatch.StartNew();
        var response = await ChatAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer in time", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
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

    [Fact]
    public async Task StreamThatStalls_EndsWithATerminalErrorEvent_NotAHang()
    {
        _upstream.Faults.Enqueue(UpstreamFault.StallMidStream);
        var clock = Stopwatch.StartNew();

        var response = await ChatAsync(stream: true);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Hel\"", text, StringComparison.Ordinal);
        Assert.Contains("sent nothing for 1 s", text, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
        await WaitAsync(() => _upstream.AbortedStreams == 1, "the stalled upstream request is closed");
        // After the first byte nothing is retried or replayed.
        Assert.Single(_upstream.Requests);
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
