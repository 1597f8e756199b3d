using System.Net;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>
/// Preset provider kinds behind the gateway: an OpenAI-format call passes through to the provider's address with a
/// Bearer key and the kind's own request fields, though nothing in the gateway names the kind.
/// </summary>
public sealed class GatewayPresetKindsTests(SqliteServer server) : UsageTestBase<SqliteServer>(server)
{
    private const string UpstreamKey = "preset-upstream-key-00000000000000PRST";

    /// <summary>Each preset, the path of its OpenAI API root, and the field its token limit goes under.</summary>
    public static TheoryData<string, string, string> TokenFields => new()
    {
        { "mistral", "/v1", "max_tokens" },
        { "groq", "/openai/v1", "max_completion_tokens" },
        { "deepseek", "/v1", "max_tokens" },
        { "gemini", "/v1", "max_tokens" },
        { "bedrock", "/openai/v1", "max_tokens" },
        { "vllm", "/v1", "max_tokens" },
    };

    /// <summary>Each preset, the path of its OpenAI API root, and whether the gateway asks its streams for usage.</summary>
    public static TheoryData<string, string, bool> StreamUsage => new()
    {
        { "mistral", "/v1", false },
        { "groq", "/openai/v1", true },
        { "deepseek", "/v1", true },
        { "gemini", "/v1", false },
        { "bedrock", "/openai/v1", false },
        { "vllm", "/v1", true },
    };

    private async Task<string> PresetModelAsync(string type, string path)
    {
        var provider = await Admin.CreateProviderAsync(type, apiKey: UpstreamKey, baseUrl: Upstream.Url + path);
        var model = Catalog.Unique(type);
        var body = new Dictionary<string, object?> { ["provider_id"] = provider.Str("id"), ["model_id"] = model, ["max_tokens"] = 123 };
        await (await Admin.PostJsonAsync("/api/v1/llm-models", body)).ExpectAsync(HttpStatusCode.Created);
        return model;
    }

    [Theory]
    [MemberData(nameof(TokenFields))]
    public async Task ChatCompletion_PassesThroughWithABearerKeyAndTheKindsTokenField(string type, string path, string tokenField)
    {
        var model = await PresetModelAsync(type, path);
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);
        var request = new { model, seed = 7, vendor_extension = new { keep = true }, messages = new[] { new { role = "user", content = "hi" } } };

        var answer = await (await caller.PostJsonAsync("/v1/chat/completions", request)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(FakeUpstream.ReplyText(model), answer.GetProperty("choices")[0].GetProperty("message").Str("content"));
        var sent = Upstream.Last;
        Assert.Equal(path + "/chat/completions", sent.Path);
        Assert.Equal("Bearer " + UpstreamKey, sent.Authorization);
        Assert.Null(sent.AzureApiKey);
        Assert.Equal(model, sent.Model);
        Assert.Equal(123, sent.Number(tokenField));
        Assert.False(sent.Body.TryGetProperty(tokenField == "max_tokens" ? "max_completion_tokens" : "max_tokens", out _));
        Assert.Equal(7, sent.Number("seed"));
        Assert.True(sent.Body.GetProperty("vendor_extension").GetProperty("keep").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(StreamUsage))]
    public async Task Stream_AsksForUsageOnlyWhereTheKindAcceptsIt_AndTheCallerWhoDidNotAskGetsNone(string type, string path, bool asks)
    {
        var model = await PresetModelAsync(type, path);
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);

        using var response = await caller.PostJsonAsync("/v1/chat/completions", Chat(model, stream: true));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data: [DONE]", text, StringComparison.Ordinal);
        var sent = Upstream.Last;
        Assert.Equal(asks, sent.Body.TryGetProperty("stream_options", out var options) && options.GetProperty("include_usage").GetBoolean());
        Assert.DoesNotContain("prompt_tokens", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mistral_NeverGetsTheFieldsItRefuses_FromACallerWhoSendsThem()
    {
        // The official OpenAI SDKs send both on their own; Mistral answers them with 422.
        var model = await PresetModelAsync("mistral", "/v1");
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);
        var request = new { model, stream = true, stream_options = new { include_usage = true }, max_completion_tokens = 55, messages = new[] { new { role = "user", content = "hi" } } };

        using var response = await caller.PostJsonAsync("/v1/chat/completions", request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data: [DONE]", text, StringComparison.Ordinal);
        var sent = Upstream.Last;
        Assert.False(sent.Body.TryGetProperty("stream_options", out _));
        Assert.False(sent.Body.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal(55, sent.Number("max_tokens"));
    }

    [Fact]
    public async Task Metrics_NameAPresetsProviderAsTheGenAIConventionDoes()
    {
        var model = await PresetModelAsync("mistral", "/v1");
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);
        await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        await UsageAsync(keyId, 1);

        var metrics = await Admin.GetStringAsync("/metrics");

        var series = metrics.Split('\n').Where(line => line.Contains($"gen_ai_request_model=\"{model}\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(series);
        Assert.All(series, line => Assert.Contains("gen_ai_provider_name=\"mistral_ai\"", line, StringComparison.Ordinal));
    }
}
