using System.Net;
using System.Net.Http.Json;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// The limits of models and keys at the gateway (one instance, counted in process): which limit refused, in the
/// caller's format with its rate-limit headers; a fallback model with room serves instead; a key's own limit ends the
/// call; an edited limit keeps what was used; a shadow limit only reports.
/// </summary>
public abstract class GatewayLimitsTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private async Task<string> PutAsync(string url, object body) => (await (await Admin.PutJsonAsync(url, body)).ExpectAsync(HttpStatusCode.OK)).ToString();

    [Fact]
    public async Task AModelAtItsLimit_HandsTheCallToAFallbackWithRoom()
    {
        var (full, fullId) = await ModelAsync("openai");
        var (spare, _) = await ModelAsync("openai-compatible");
        var purpose = "agents/" + Catalog.Unique("limits");
        await PutAsync($"/api/v1/llm-models/{fullId}", new { requests_per_minute = 1 });
        await PutAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = full });
        await PutAsync($"/api/v1/llm-fallbacks/{purpose}", new { model_ids = new[] { spare } });
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);

        var first = await caller.PostJsonAsync("/v1/chat/completions", Chat(purpose));
        var second = await caller.PostJsonAsync("/v1/chat/completions", Chat(purpose));

        await first.ExpectAsync(HttpStatusCode.OK);
        await second.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(full, first.Headers.GetValues("x-modelgate-model").Single());
        Assert.Equal(spare, second.Headers.GetValues("x-modelgate-model").Single());
    }

    [Fact]
    public async Task AKeyAtItsRequestsPerMinute_IsRefusedInAnthropicsFormat_WithAnthropicsRateLimitHeaders()
    {
        var (model, _) = await ModelAsync("anthropic");
        var (secret, _) = await KeyAsync(new { requests_per_minute = 2 });
        using var caller = Caller(secret);
        caller.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        var body = new { model, max_tokens = 16, messages = new[] { new { role = "user", content = "hi" } } };
        await (await caller.PostJsonAsync("/v1/messages", body)).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/messages", body)).ExpectAsync(HttpStatusCode.OK);

        var refused = await caller.PostJsonAsync("/v1/messages", body);

        var error = await refused.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("error", error.Str("type"));
        Assert.Equal("rate_limit_error", error.GetProperty("error").Str("type"));
        Assert.Contains("is at its limit of 2 requests per minute", error.GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Equal("2", refused.Headers.GetValues("anthropic-ratelimit-requests-limit").Single());
        Assert.Equal("0", refused.Headers.GetValues("anthropic-ratelimit-requests-remaining").Single());
        Assert.True(DateTimeOffset.TryParse(refused.Headers.GetValues("anthropic-ratelimit-requests-reset").Single(), out var reset));
        Assert.InRange(reset, DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(75));
        Assert.Equal("key; requests_per_minute=2", refused.Headers.GetValues("x-modelgate-limit").Single());
        Assert.Equal(2, Upstream.Requests.Count);
    }

    [Fact]
    public async Task AKeysOwnLimit_EndsTheCall_EvenWithAFallbackWithRoom()
    {
        var (first, _) = await ModelAsync("openai");
        var (spare, _) = await ModelAsync("openai-compatible");
        var purpose = "agents/" + Catalog.Unique("limits");
        await PutAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = first });
        await PutAsync($"/api/v1/llm-fallbacks/{purpose}", new { model_ids = new[] { spare } });
        var (secret, _) = await KeyAsync(new { tokens_per_minute = 300 });
        using var caller = Caller(secret);
        Upstream.Usage = (Prompt: 5, Completion: 200, Cached: 0);
        // 205 used: the next call's reservation (its prompt and 200 max tokens) no longer fits in 300.
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(purpose, maxTokens: 200))).ExpectAsync(HttpStatusCode.OK);

        var refused = await caller.PostJsonAsync("/v1/chat/completions", Chat(purpose, maxTokens: 200));

        var error = (await refused.ExpectAsync(HttpStatusCode.TooManyRequests)).GetProperty("error");
        Assert.Contains("API key", error.Str("message"), StringComparison.Ordinal);
        Assert.Contains("300 tokens per minute", error.Str("message"), StringComparison.Ordinal);
        Assert.Equal("300", refused.Headers.GetValues("x-ratelimit-limit-tokens").Single());
        Assert.Single(Upstream.Requests);
    }

    [Fact]
    public async Task AKeysRequestsInFlight_AreLimited_AndFreedWhenEachCallEnds()
    {
        var (model, _) = await ModelAsync("openai");
        var (secret, _) = await KeyAsync(new { concurrent_requests = 1 });
        using var caller = Caller(secret);
        // A slow stream keeps the first call in flight while the second is sent.
        Upstream.ChunkDelay = TimeSpan.FromMilliseconds(150);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat(model, stream: true)) };
        using var streaming = await caller.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var refused = await caller.PostJsonAsync("/v1/chat/completions", Chat(model));
        var streamed = await streaming.Content.ReadAsStringAsync();

        Assert.Contains("[DONE]", streamed, StringComparison.Ordinal);
        var error = (await refused.ExpectAsync(HttpStatusCode.TooManyRequests)).GetProperty("error");
        Assert.Contains("1 requests at once", error.Str("message"), StringComparison.Ordinal);
        Assert.Equal("key; concurrent_requests=1", refused.Headers.GetValues("x-modelgate-limit").Single());
        // The stream's place is given back as its call ends (just after its last byte): the next call gets it.
        Upstream.ChunkDelay = TimeSpan.Zero;
        await LimitFleet.WaitUntilAsync(
            () => caller.PostJsonAsync("/v1/chat/completions", Chat(model)).Result.StatusCode == HttpStatusCode.OK, "the place in flight is free", seconds: 5);
    }

    [Fact]
    public async Task EditingALimit_KeepsWhatWasAlreadyUsedInTheMinute()
    {
        var (model, id) = await ModelAsync("openai");
        await PutAsync($"/api/v1/llm-models/{id}", new { requests_per_minute = 5 });
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);
        for (var i = 0; i < 3; i++)
        {
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        await PutAsync($"/api/v1/llm-models/{id}", new { requests_per_minute = 4 });

        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task AShadowLimit_AdmitsEveryCall_AndReportsEachItWouldHaveRefused()
    {
        var (model, id) = await ModelAsync("openai");
        await PutAsync($"/api/v1/llm-models/{id}", new { requests_per_minute = 1, shadow_limits = new[] { "requests_per_minute" } });
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);

        for (var i = 0; i < 3; i++)
        {
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal(2, Server.App.Logs.GetSnapshot().Count(r => r.Message.StartsWith("Shadow limit exceeded", StringComparison.Ordinal) && r.Message.Contains(model, StringComparison.Ordinal)));
        var metrics = await (await Admin.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("modelgate_limits_shadow_exceeded_total{", StringComparison.Ordinal)
            && line.Contains("limit=\"requests_per_minute\"", StringComparison.Ordinal) && line.Contains("scope=\"model\"", StringComparison.Ordinal));
    }
}

public sealed class GatewayLimitsTests_Sqlite(SqliteServer server) : GatewayLimitsTests<SqliteServer>(server);

public sealed class GatewayLimitsTests_Postgres(PostgresServer server) : GatewayLimitsTests<PostgresServer>(server);
