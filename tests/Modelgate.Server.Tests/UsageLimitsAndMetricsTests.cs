using System.Net;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>What usage drives: budgets, tokens per minute, model scorecards, metrics and spans, and the usage query's validation.</summary>
public abstract class UsageLimitsAndMetricsTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    [Fact]
    public async Task KeyOverItsBudget_Gets429BudgetExceeded_UntilTheBudgetIsRaised()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync(new { budget_usd = 0.001m, budget_period = "daily" });
        Upstream.Usage = (Prompt: 1000, Completion: 0, Cached: 0);
        using var caller = Caller(secret);

        // A budget reserves what a call may cost before it is sent: max_tokens keeps that within this tiny budget.
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, maxTokens: 10))).ExpectAsync(HttpStatusCode.OK);
        await UsageAsync(keyId, 1);
        var refused = await caller.PostJsonAsync("/v1/chat/completions", Chat(model, maxTokens: 10));
        var error = (await refused.ExpectAsync(HttpStatusCode.TooManyRequests)).GetProperty("error");

        Assert.Equal("budget_exceeded", error.Str("code"));
        Assert.Contains("daily budget of 0.001 USD", error.Str("message"), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        var spend = await (await Admin.GetAsync($"/api/v1/keys/{keyId}/spend")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0.001m, spend.GetProperty("spent_usd").GetDecimal());
        Assert.Equal(0m, spend.GetProperty("remaining_usd").GetDecimal());
        Assert.True(spend.GetProperty("exhausted").GetBoolean());

        await (await Admin.PutJsonAsync($"/api/v1/keys/{keyId}", new { budget_usd = 1m })).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, maxTokens: 10))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ProviderAtItsTokensPerMinute_TakesNoNewCall_Until_TheMinuteSlides()
    {
        var provider = await Admin.CreateProviderAsync("openai", apiKey: "sk-upstream-0000000000000000TPM", baseUrl: Upstream.Url + "/v1");
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { tokens_per_minute = 1500 })).ExpectAsync(HttpStatusCode.OK);
        var model = (await Admin.CreateModelAsync(provider.Str("id"), modelId: Catalog.Unique("tpm"))).Str("model_id");
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 1000, Completion: 200, Cached: 0);
        using var caller = Caller(secret);

        // Each call reserves its prompt and its max_tokens (about 210 tokens) and then counts what it used (1,200).
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, maxTokens: 200))).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model, maxTokens: 200, stream: true))).Content.ReadAsStringAsync();
        // What a call used counts once it is over, after its last byte reached the caller (with its usage record):
        // the caller may be quicker than that, so wait for both records before the call that must be refused.
        await UsageAsync(keyId, 2);
        var refused = await caller.PostJsonAsync("/v1/chat/completions", Chat(model, maxTokens: 200));

        var error = (await refused.ExpectAsync(HttpStatusCode.TooManyRequests)).GetProperty("error");
        Assert.Contains("1500 tokens per minute", error.Str("message"), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 70);
        Assert.Equal(2, Upstream.Requests.Count);
    }

    [Fact]
    public async Task KeyWithABudget_MayNotCallAModelWithoutPrices()
    {
        var (model, _) = await ModelAsync("openai-compatible");
        var (secret, _) = await KeyAsync(new { budget_usd = 5m });
        using var caller = Caller(secret);

        var error = (await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.Forbidden)).GetProperty("error");

        Assert.Equal("model_unpriced", error.Str("code"));
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ModelScorecard_ShowsTheLast24Hours()
    {
        var (model, modelId) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 500_000, Completion: 0, Cached: 0);
        using var caller = Caller(secret);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        Upstream.FailNext(400, "{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\"}}");
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.BadRequest);
        await UsageAsync(keyId, 2);

        var scorecard = (await (await Admin.GetAsync($"/api/v1/llm-models/{modelId}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("scorecard");

        Assert.Equal(24, scorecard.GetProperty("window_hours").GetInt32());
        Assert.Equal(2, scorecard.GetProperty("requests").GetInt64());
        Assert.Equal(0.5, scorecard.GetProperty("success_rate").GetDouble());
        Assert.Equal(0.5m, scorecard.GetProperty("cost_usd").GetDecimal());
        Assert.True(scorecard.GetProperty("latency_p95_ms").GetDouble() >= scorecard.GetProperty("latency_p50_ms").GetDouble());
    }

    [Fact]
    public async Task MetricsEndpoint_ExposesTheGenAIConventionsInstruments()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        await UsageAsync(keyId, 1);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.App.CreateClient().GetAsync("/metrics")).StatusCode);
        var metrics = await Admin.GetStringAsync("/metrics");

        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_token_usage_", metrics, StringComparison.Ordinal);
        Assert.Contains("gen_ai_token_type=\"output\"", metrics, StringComparison.Ordinal);
        Assert.Contains($"gen_ai_response_model=\"{model}\"", metrics, StringComparison.Ordinal);
        Assert.Contains("gen_ai_provider_name=\"openai\"", metrics, StringComparison.Ordinal);
        Assert.Contains("modelgate_usage_written", metrics, StringComparison.Ordinal);
        Assert.Contains("service_name=\"modelgate\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachCall_IsASpanWithTheGenAIAttributes()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var (secret, keyId) = await KeyAsync();
        Upstream.Usage = (Prompt: 30, Completion: 5, Cached: 0);
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Modelgate.Gateway",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var caller = Caller(secret);

        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        await UsageAsync(keyId, 1);

        var span = Assert.Single(spans, s => Equals(s.GetTagItem("gen_ai.response.model"), model));
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(model, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(30L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(5L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.DoesNotContain(span.Tags, t => t.Value?.Contains(secret, StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("group_by=model,colour", "group_by")]
    [InlineData("from=2026-02-01&to=2026-01-01", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("key_id=12", "key_id")]
    [InlineData("from=2020-01-01&to=2026-01-01", "from")]
    [InlineData("to=0001-01-01", "to")]
    public async Task UsageQuery_WithBadParameters_Is400NamingTheParameter(string query, string field)
    {
        var problem = await (await Admin.GetAsync($"/api/v1/usage?{query}")).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}

public sealed class UsageLimitsAndMetricsTests_Sqlite(SqliteServer server) : UsageLimitsAndMetricsTests<SqliteServer>(server);

public sealed class UsageLimitsAndMetricsTests_Postgres(PostgresServer server) : UsageLimitsAndMetricsTests<PostgresServer>(server);
