using System.Net;
using System.Text;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// Anthropic's <c>POST /v1/messages/count_tokens</c> driven by the official Anthropic SDK: passed through to an
/// Anthropic provider, estimated by Modelgate for any other, checked like <c>/v1/messages</c>, and never a usage record.
/// </summary>
public abstract class GatewayTokenCountTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private const string UpstreamKey = "sk-ant-api03-count-tokens-secret-0000000CNT";

    // An Anthropic model with a default max_tokens and temperature, which count_tokens must not be sent.
    private async Task<string> AnthropicModelAsync()
    {
        var provider = await Admin.CreateProviderAsync("anthropic", apiKey: UpstreamKey, baseUrl: Upstream.Url);
        var modelId = Catalog.Unique("claude");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, max_tokens = 512, temperature = 0.3 }))
            .ExpectAsync(HttpStatusCode.Created);
        return modelId;
    }

    private async Task<string> PurposeAsync(string modelId)
    {
        var purpose = "agents/" + Catalog.Unique("count");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        return purpose;
    }

    private AnthropicClient Sdk(string key) => GatewaySdks.Anthropic(Server.App, key);

    private static MessageCountTokensParams Count(string model, string text = "hello there") =>
        new() { Model = model, System = "Be brief.", Messages = [new UserMessageParam { Content = text }] };

    private HttpClient AnthropicCaller(string key)
    {
        var http = Server.App.CreateClient();
        http.DefaultRequestHeaders.Add("x-api-key", key);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return http;
    }

    [Fact]
    public async Task CountTokens_OfAnAnthropicModel_IsTheProvidersCount_ForTheConfiguredModel_WithItsKey_AndNoMaxTokens()
    {
        var modelId = await AnthropicModelAsync();
        var purpose = await PurposeAsync(modelId);
        var (key, _) = await KeyAsync();
        Upstream.Usage = (1234, 0, 0);

        var counted = await Sdk(key).Messages.CountTokens(Count(purpose));

        Assert.Equal(1234, counted.InputTokens);
        var sent = Upstream.Last;
        Assert.Equal("/v1/messages/count_tokens", sent.Path);
        Assert.Equal(modelId, sent.Model);
        Assert.Equal(UpstreamKey, sent.XApiKey);
        Assert.NotNull(sent.AnthropicVersion);
        // The fake refuses what Anthropic refuses here; the model's defaults were not added.
        Assert.False(sent.Body.TryGetProperty("max_tokens", out _));
        Assert.False(sent.Body.TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task CountTokens_PassedThrough_KeepsTheCallersBetaHeader_AndSaysTheCountIsTheProviders()
    {
        var purpose = await PurposeAsync(await AnthropicModelAsync());
        var (key, _) = await KeyAsync();
        using var http = AnthropicCaller(key);
        http.DefaultRequestHeaders.Add("anthropic-beta", "token-counting-2024-11-01");

        using var response = await http.PostJsonAsync("/v1/messages/count_tokens", new { model = purpose, messages = new[] { new { role = "user", content = "hi" } } });

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.True(body.GetProperty("input_tokens").GetInt64() > 0);
        Assert.Equal("provider", response.Headers.GetValues("x-modelgate-token-count").Single());
        Assert.Equal("token-counting-2024-11-01", Upstream.Last.AnthropicBeta);
        Assert.Equal("2023-06-01", Upstream.Last.AnthropicVersion);
    }

    [Fact]
    public async Task CountTokens_OfAnOpenAIProtocolModel_IsModelgatesEstimate_MarkedAsSuch_AndNothingIsSent()
    {
        var (modelId, _) = await ModelAsync("openai");
        var (key, _) = await KeyAsync();
        using var http = AnthropicCaller(key);
        object[] tools =
        [
            new { name = "lookup", description = "Looks a word up in a long dictionary of words.", input_schema = new { type = "object", properties = new { q = new { type = "string" } } } },
        ];
        var messages = new[] { new { role = "user", content = "hello there, how are you today?" } };

        var counted = await Sdk(key).Messages.CountTokens(Count(modelId, "hello there, how are you today?"));
        using var plain = await http.PostJsonAsync("/v1/messages/count_tokens", new { model = modelId, messages });
        using var withTools = await http.PostJsonAsync("/v1/messages/count_tokens", new { model = modelId, messages, tools });

        Assert.True(counted.InputTokens > 0);
        var plainTokens = (await plain.ExpectAsync(HttpStatusCode.OK)).GetProperty("input_tokens").GetInt64();
        Assert.Equal("estimated", plain.Headers.GetValues("x-modelgate-token-count").Single());
        Assert.Equal(modelId, plain.Headers.GetValues("x-modelgate-model").Single());
        // Tool definitions are part of the prompt.
        Assert.True((await withTools.ExpectAsync(HttpStatusCode.OK)).GetProperty("input_tokens").GetInt64() > plainTokens + 10);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task CountTokens_IsNoUsageRecord()
    {
        var purpose = await PurposeAsync(await AnthropicModelAsync());
        var (estimated, _) = await ModelAsync("openai");
        var (key, keyId) = await KeyAsync();
        var sdk = Sdk(key);
        await sdk.Messages.CountTokens(Count(purpose));
        await sdk.Messages.CountTokens(Count(estimated));
        using var http = AnthropicCaller(key);

        await (await http.PostJsonAsync("/v1/messages", new { model = purpose, messages = new[] { new { role = "user", content = "hi" } } })).ExpectAsync(HttpStatusCode.OK);

        // Counts made before the call would be in the writer's batches before it: only the call is there.
        var usage = await UsageAsync(keyId, requests: 1);
        Assert.Equal(1, usage.GetProperty("totals").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task CountTokens_IsCheckedLikeMessages_BeforeAnythingIsSent()
    {
        var modelId = await AnthropicModelAsync();
        var purpose = await PurposeAsync(modelId);
        var (embedding, _) = await ModelAsync("openai", type: "embedding");
        var (key, _) = await KeyAsync();
        var (scoped, _) = await KeyAsync(new { allowed_purposes = new[] { "chat" } });
        var messages = new[] { new { role = "user", content = "hi" } };

        var noKey = await Server.App.CreateClient().PostJsonAsync("/v1/messages/count_tokens", new { model = purpose, messages });
        var notAllowed = await AnthropicCaller(scoped).PostJsonAsync("/v1/messages/count_tokens", new { model = purpose, messages });
        var hostile = await AnthropicCaller(key).PostJsonAsync("/v1/messages/count_tokens", new { model = purpose, messages, base_url = "http://169.254.169.254" });
        var unknown = await AnthropicCaller(key).PostJsonAsync("/v1/messages/count_tokens", new { model = "no-such-model", messages });
        var wrongKind = await AnthropicCaller(key).PostJsonAsync("/v1/messages/count_tokens", new { model = embedding, messages });
        var noMessages = await AnthropicCaller(key).PostJsonAsync("/v1/messages/count_tokens", new { model = purpose });
        var tooLarge = await AnthropicCaller(key).PostAsync("/v1/messages/count_tokens", new StringContent(
            $$"""{"model":"{{purpose}}","messages":[{"role":"user","content":"{{new string('a', 21 * 1024 * 1024)}}"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal("authentication_error", (await noKey.ExpectAsync(HttpStatusCode.Unauthorized)).GetProperty("error").Str("type"));
        Assert.Equal("permission_error", (await notAllowed.ExpectAsync(HttpStatusCode.Forbidden)).GetProperty("error").Str("type"));
        Assert.Contains("base_url", (await hostile.ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Equal("not_found_error", (await unknown.ExpectAsync(HttpStatusCode.NotFound)).GetProperty("error").Str("type"));
        Assert.Contains("embedding model", (await wrongKind.ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Contains("messages: Field required", (await noMessages.ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Equal("request_too_large", (await tooLarge.ExpectAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("error").Str("type"));
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task CountTokens_ProvidersRefusal_ReachesTheSdkInAnthropicsFormat_WithoutTheProvidersKey()
    {
        var purpose = await PurposeAsync(await AnthropicModelAsync());
        var (key, _) = await KeyAsync();
        Upstream.FailNext(400, $$$"""{"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content: bad block for key {{{UpstreamKey}}}"}}""");

        var error = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Sdk(key).Messages.CountTokens(Count(purpose)));

        Assert.Contains("messages.0.content: bad block for key [redacted]", error.ApiMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(UpstreamKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokens_ForAModelTheProviderDoesNotHave_SaysSo_InAnthropicsFormat()
    {
        var modelId = await AnthropicModelAsync();
        var (key, _) = await KeyAsync();
        Upstream.FailNext(404, $$$"""{"type":"error","error":{"type":"not_found_error","message":"model: {{{modelId}}}"}}""");

        var response = await AnthropicCaller(key).PostJsonAsync("/v1/messages/count_tokens", new { model = modelId, messages = new[] { new { role = "user", content = "hi" } } });

        var error = (await response.ExpectAsync(HttpStatusCode.BadGateway)).GetProperty("error");
        Assert.Contains($"says the model does not exist: model: {modelId}", error.Str("message"), StringComparison.Ordinal);
        Assert.DoesNotContain("base_url", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokens_IsAKnownRoute_NamedInTheUnknownRouteMessage_AndTakesOnlyPost()
    {
        using var http = Server.App.CreateClient();
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        using var get = await http.GetAsync("/v1/messages/count_tokens");
        using var unknown = await http.GetAsync("/v1/messages/batches");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", string.Join(",", get.Content.Headers.Allow));
        Assert.Contains("POST /v1/messages/count_tokens", (await unknown.JsonAsync()).GetProperty("error").Str("message"), StringComparison.Ordinal);
    }
}

public sealed class GatewayTokenCountTests_Sqlite(SqliteServer server) : GatewayTokenCountTests<SqliteServer>(server);

public sealed class GatewayTokenCountTests_Postgres(PostgresServer server) : GatewayTokenCountTests<PostgresServer>(server);
