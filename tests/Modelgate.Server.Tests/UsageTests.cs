using System.Net;
using System.Text.Json;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>
/// Usage recording end to end: calls through the gateway (each wire format, passthrough and translated, whole and
/// streamed, successes and failures) become usage records with the provider's token counts and an exact cost, and
/// <c>GET /api/v1/usage</c> adds them up; prices and their periods.
/// </summary>
public abstract class UsageTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    [Fact]
    public async Task EveryCall_IsRecordedWithTheProvidersTokens_AndPricedExactly()
    {
        var (model, modelId) = await ModelAsync("openai", new { input_price_per_million = 2.5m, output_price_per_million = 10m, cached_input_price_per_million = 1.25m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 1000, Completion: 200, Cached: 400);
        using var caller = Caller(secret);

        for (var i = 0; i < 3; i++)
        {
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        var report = await UsageAsync(keyId, 3, "model");
        var group = Assert.Single(report.GetProperty("groups").EnumerateArray());
        Assert.Equal(modelId, group.Str("model_id"));
        Assert.Equal(model, group.Str("model"));
        Assert.Equal(3000, group.GetProperty("input_tokens").GetInt64());
        Assert.Equal(600, group.GetProperty("output_tokens").GetInt64());
        Assert.Equal(1200, group.GetProperty("cached_input_tokens").GetInt64());
        // Per call: 600 uncached × 2.5 + 400 cached × 1.25 + 200 × 10, per million tokens = 0.004 USD.
        Assert.Equal(0.012m, group.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0, group.GetProperty("errors").GetInt64());
        Assert.Equal(0, group.GetProperty("estimated_requests").GetInt64());
        Assert.True(group.GetProperty("latency_ms").GetProperty("p50").GetDouble() > 0);
    }

    [Fact]
    public async Task KnownMixOfCalls_AddsUpToTheLastDigit_PerModelAndInTotal()
    {
        var (mini, miniId) = await ModelAsync("openai", new { input_price_per_million = 0.15m, output_price_per_million = 0.6m, cached_input_price_per_million = 0.075m });
        var (claude, claudeId) = await ModelAsync("anthropic", new { input_price_per_million = 3m, output_price_per_million = 15m, cached_input_price_per_million = 0.3m });
        var (custom, customId) = await ModelAsync("openai-compatible");
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);

        Upstream.Usage = (Prompt: 1234, Completion: 567, Cached: 1000);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(mini))).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(mini))).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(mini, stream: true))).Content.ReadAsStringAsync();
        Upstream.Usage = (Prompt: 2500, Completion: 321, Cached: 2000);
        await (await caller.PostJsonAsync("/v1/messages", new { model = claude, max_tokens = 99, messages = new[] { new { role = "user", content = "hi" } } })).Content.ReadAsStringAsync();
        await (await caller.PostJsonAsync("/v1/messages", new { model = claude, max_tokens = 99, stream = true, messages = new[] { new { role = "user", content = "hi" } } })).Content.ReadAsStringAsync();
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(custom))).ExpectAsync(HttpStatusCode.OK);

        var report = await UsageAsync(keyId, 6, "model");
        var byModel = report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.Str("model_id"));
        // 234 × 0.15 + 1000 × 0.075 + 567 × 0.6 = 450.3 per million tokens, three times.
        Assert.Equal(0.0013509m, byModel[miniId].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3702, byModel[miniId].GetProperty("input_tokens").GetInt64());
        // 500 × 3 + 2000 × 0.3 + 321 × 15 = 6915 per million tokens, twice.
        Assert.Equal(0.01383m, byModel[claudeId].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(4000, byModel[claudeId].GetProperty("cached_input_tokens").GetInt64());
        Assert.Equal(1, byModel[customId].GetProperty("unpriced_requests").GetInt64());
        Assert.Equal(0.0151809m, report.GetProperty("totals").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, report.GetProperty("totals").GetProperty("unpriced_requests").GetInt64());
        Assert.Equal(claude, byModel[claudeId].Str("model"));
    }

    [Fact]
    public async Task StreamedCall_TakesTokensFromTheUsageChunk_WhichACallerWhoDidNotAskNeverSees()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 2m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 50, Completion: 7, Cached: 0);
        using var caller = Caller(secret);

        var plain = await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, stream: true))).Content.ReadAsStringAsync();
        var asked = await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, stream: true, new { include_usage = true }))).Content.ReadAsStringAsync();

        // The gateway asked the provider for usage both times; only the caller who asked gets the usage chunk.
        Assert.All(Upstream.Requests, r => Assert.True(r.Body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean()));
        Assert.DoesNotContain("\"usage\":{", plain, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", plain, StringComparison.Ordinal);
        Assert.Contains(FakeUpstream.ReplyText(model).Split(' ')[^1], plain, StringComparison.Ordinal);
        Assert.Contains("\"usage\":{\"prompt_tokens\":50", asked, StringComparison.Ordinal);

        var totals = (await UsageAsync(keyId, 2)).GetProperty("totals");
        Assert.Equal(100, totals.GetProperty("input_tokens").GetInt64());
        Assert.Equal(14, totals.GetProperty("output_tokens").GetInt64());
        Assert.Equal(2, totals.GetProperty("streamed").GetInt64());
        Assert.Equal(0, totals.GetProperty("estimated_requests").GetInt64());
        Assert.Equal(0.000128m, totals.GetProperty("cost_usd").GetDecimal());
        Assert.True(totals.GetProperty("ttft_ms").GetProperty("p50").GetDouble() > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnthropicCall_CountsCacheReadsAsCachedInput(bool stream)
    {
        var (model, _) = await ModelAsync("anthropic", new { input_price_per_million = 3m, output_price_per_million = 15m, cached_input_price_per_million = 0.3m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 2000, Completion: 100, Cached: 1500);
        using var caller = Caller(secret);

        var response = await caller.PostJsonAsync("/v1/messages", new { model, max_tokens = 64, stream, messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(stream ? "message_stop" : "\"end_turn\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(2000, totals.GetProperty("input_tokens").GetInt64());
        Assert.Equal(1500, totals.GetProperty("cached_input_tokens").GetInt64());
        Assert.Equal(100, totals.GetProperty("output_tokens").GetInt64());
        // 500 × 3 + 1500 × 0.3 + 100 × 15 per million = 0.00345 USD.
        Assert.Equal(0.00345m, totals.GetProperty("cost_usd").GetDecimal());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TranslatedCall_OpenAIFormatToClaude_IsRecordedWithTheProvidersTokens(bool stream)
    {
        var (model, _) = await ModelAsync("anthropic", new { input_price_per_million = 3m, output_price_per_million = 15m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 40, Completion: 4, Cached: 0);
        using var caller = Caller(secret);

        var response = await caller.PostJsonAsync("/v1/chat/completions", Chat(model, stream));
        Assert.Contains(FakeUpstream.ReplyText(model).Split(' ')[0], await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(40, totals.GetProperty("input_tokens").GetInt64());
        Assert.Equal(4, totals.GetProperty("output_tokens").GetInt64());
        Assert.Equal(stream ? 1 : 0, totals.GetProperty("streamed").GetInt64());
        Assert.Equal(0.00018m, totals.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task AnswerWithoutUsage_IsRelayed_AndItsTokensCountedWithTheTokenizer()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        Upstream.Faults.Enqueue(UpstreamFault.JsonWithoutUsage);

        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);

        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("estimated_requests").GetInt64());
        Assert.InRange(totals.GetProperty("input_tokens").GetInt64(), 3, 20);
        Assert.InRange(totals.GetProperty("output_tokens").GetInt64(), 1, 20);
        Assert.True(totals.GetProperty("cost_usd").GetDecimal() > 0);
    }

    [Theory]
    [InlineData("openai", false)]
    [InlineData("openai", true)]
    [InlineData("anthropic", false)]
    [InlineData("anthropic", true)]
    public async Task NegativeUsageFromTheProvider_IsNotRecorded_ItsTokensAreCounted_InEitherWireFormat(string kind, bool stream)
    {
        // One guard for both pass-through formats: a count no provider can mean is left out, and the call's tokens are
        // counted with the tokenizer instead (marked estimated); the answer itself is relayed.
        var (model, _) = await ModelAsync(kind, new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        Upstream.Usage = (Prompt: -5, Completion: -3, Cached: 0);

        var response = kind == "openai"
            ? await caller.PostJsonAsync("/v1/chat/completions", Chat(model, stream))
            : await caller.PostJsonAsync("/v1/messages", new { model, max_tokens = 99, stream, messages = new[] { new { role = "user", content = "hello there" } } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hello", text, StringComparison.Ordinal);
        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("errors").GetInt64());
        Assert.Equal(1, totals.GetProperty("estimated_requests").GetInt64());
        Assert.InRange(totals.GetProperty("input_tokens").GetInt64(), 1, 30);
        Assert.InRange(totals.GetProperty("output_tokens").GetInt64(), 1, 30);
        Assert.True(totals.GetProperty("cost_usd").GetDecimal() > 0);
    }

    [Fact]
    public async Task StreamCutShort_IsAnError_WithTokensEstimatedFromWhatWasRelayed()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        Upstream.Faults.Enqueue(UpstreamFault.DropMidStream);

        var text = await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, stream: true))).Content.ReadAsStringAsync();

        Assert.Contains("upstream_error", text, StringComparison.Ordinal);
        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("errors").GetInt64());
        Assert.Equal(1, totals.GetProperty("estimated_requests").GetInt64());
        Assert.True(totals.GetProperty("input_tokens").GetInt64() > 0);
    }

    [Fact]
    public async Task DegeneratePromptOfAStreamCutShort_IsCountedWithinBounds_AndRecorded()
    {
        // One letter a million times: a single piece to the tokenizer, which took hours counted whole (quadratic).
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        Upstream.Faults.Enqueue(UpstreamFault.DropMidStream);
        var prompt = new string('a', 1_000_000);

        var response = await caller.PostJsonAsync("/v1/chat/completions", new { model, stream = true, messages = new[] { new { role = "user", content = prompt } } });
        await response.Content.ReadAsStringAsync();

        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("estimated_requests").GetInt64());
        // o200k takes 8 to 16 a's per token; the count beyond the exact part follows the rate of the part counted.
        Assert.InRange(totals.GetProperty("input_tokens").GetInt64(), prompt.Length / 16, prompt.Length / 4);
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-modelgate-request-id").Single(), out _));
    }

    [Fact]
    public async Task FailedCall_IsRecordedAsAnError_ThatCostsNothing()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        Upstream.FailNext(400, "{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\"}}");

        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat("no-such-model"))).ExpectAsync(HttpStatusCode.NotFound);

        var report = await UsageAsync(keyId, 2, "model");
        Assert.Equal(2, report.GetProperty("totals").GetProperty("errors").GetInt64());
        Assert.Equal(0m, report.GetProperty("totals").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0, report.GetProperty("totals").GetProperty("unpriced_requests").GetInt64());
    }

    [Fact]
    public async Task ModelWithoutPrices_IsUnpriced_NeverRecordedAsFree()
    {
        var (model, _) = await ModelAsync("openai-compatible");
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);

        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);

        var totals = (await UsageAsync(keyId, 1)).GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("unpriced_requests").GetInt64());
        Assert.True(totals.GetProperty("output_tokens").GetInt64() > 0);
    }

    [Fact]
    public async Task PriceChange_OpensANewPeriod_AndEarlierCallsKeepTheirCost()
    {
        var (model, modelId) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 1_000_000, Completion: 0, Cached: 0);
        using var caller = Caller(secret);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        await UsageAsync(keyId, 1);

        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{modelId}", new { input_price_per_million = 3m })).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(4m, (await UsageAsync(keyId, 2)).GetProperty("totals").GetProperty("cost_usd").GetDecimal());
        var periods = (await (await Admin.GetAsync($"/api/v1/llm-prices/{modelId}")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(3m, periods[0].GetProperty("input_price_per_million").GetDecimal());
        Assert.Equal(JsonValueKind.Null, periods[0].GetProperty("effective_until").ValueKind);
        Assert.Equal(1m, periods[1].GetProperty("input_price_per_million").GetDecimal());
        Assert.Equal(periods[0].GetProperty("effective_from").GetString(), periods[1].GetProperty("effective_until").GetString());
    }

    [Fact]
    public async Task WellKnownModel_CreatedWithoutPrices_GetsTheBuiltInPrices_AndLocalModelsAnExplicitZero()
    {
        var (_, known) = await ModelAsync("openai", modelId: "gpt-4o-mini-2024-07-18");
        var (_, local) = await ModelAsync("ollama", modelId: Catalog.Unique("llama3"));
        var (_, custom) = await ModelAsync("openai", modelId: Catalog.Unique("my-finetune"));

        var knownModel = await (await Admin.GetAsync($"/api/v1/llm-models/{known}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0.15m, knownModel.GetProperty("input_price_per_million").GetDecimal());
        Assert.Equal(0.6m, knownModel.GetProperty("output_price_per_million").GetDecimal());
        Assert.Equal(0.075m, knownModel.GetProperty("cached_input_price_per_million").GetDecimal());
        Assert.Equal("built-in", (await (await Admin.GetAsync($"/api/v1/llm-prices/{known}")).ExpectAsync(HttpStatusCode.OK))[0].Str("set_by"));
        var localModel = await (await Admin.GetAsync($"/api/v1/llm-models/{local}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0m, localModel.GetProperty("input_price_per_million").GetDecimal());
        Assert.Equal(0m, localModel.GetProperty("output_price_per_million").GetDecimal());
        var customModel = await (await Admin.GetAsync($"/api/v1/llm-models/{custom}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, customModel.GetProperty("input_price_per_million").ValueKind);
    }

}

public sealed class UsageTests_Sqlite(SqliteServer server) : UsageTests<SqliteServer>(server);

public sealed class UsageTests_Postgres(PostgresServer server) : UsageTests<PostgresServer>(server);
