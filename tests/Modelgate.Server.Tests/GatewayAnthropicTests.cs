using System.Net;
using Anthropic;
using Microsoft.Extensions.AI;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>The gateway's Anthropic-format endpoint driven by the official Anthropic SDK, forwarding to a fake Anthropic upstream.</summary>
public abstract class GatewayAnthropicTests<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : ServerFixture
{
    private const string UpstreamKey = "sk-ant-api03-upstream-secret-00000000UPAN";
    private FakeUpstream _upstream = null!;
    private HttpClient Admin => server.Admin;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private async Task<(string Purpose, string ModelId, string Key)> ConfigureAsync(double? temperature = null, double? topP = null)
    {
        var provider = await Admin.CreateProviderAsync("anthropic", apiKey: UpstreamKey, baseUrl: _upstream.Url);
        var modelId = Catalog.Unique("claude");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, max_tokens = 512, temperature, top_p = topP })).ExpectAsync(HttpStatusCode.Created);
        var purpose = "agents/" + Catalog.Unique("anth");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("anthropic-caller") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        return (purpose, modelId, key);
    }

    private IChatClient Sdk(string key, string model)
    {
        var http = server.App.CreateClient();
        return new AnthropicClient { ApiKey = key, BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'), HttpClient = http, MaxRetries = 0 }.AsIChatClient(model);
    }

    [Fact]
    public async Task Message_ForAPurpose_ReachesTheConfiguredClaudeWithTheProvidersKey()
    {
        var (purpose, modelId, key) = await ConfigureAsync();

        var response = await Sdk(key, purpose).GetResponseAsync("hello");

        Assert.Equal(FakeUpstream.ReplyText(modelId), response.Text);
        Assert.Equal(modelId, _upstream.Last.Model);
        Assert.Equal(UpstreamKey, _upstream.Last.XApiKey);
        Assert.True(response.Usage?.OutputTokenCount > 0);
    }

    [Fact]
    public async Task StreamingMessage_RelaysTheEventSequence()
    {
        var (purpose, modelId, key) = await ConfigureAsync();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Sdk(key, purpose).GetStreamingResponseAsync("hello"))
        {
            updates.Add(update);
        }

        Assert.Equal(FakeUpstream.ReplyText(modelId), updates.ToChatResponse().Text);
        Assert.True(updates.Count > 3);
    }

    [Fact]
    public async Task AnthropicRequest_ToAnOpenAIProvider_IsTranslatedBothWays_StreamingAndToolsIncluded()
    {
        var provider = await Admin.CreateProviderAsync("openai", apiKey: "sk-proj-openai-behind-anthropic-000000OABA", baseUrl: _upstream.Url + "/v1");
        var modelId = Catalog.Unique("gpt");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId })).ExpectAsync(HttpStatusCode.Created);
        var purpose = "agents/" + Catalog.Unique("cross");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("cross") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        var claudeSdk = Sdk(key, purpose);

        var response = await claudeSdk.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "hello")]);
        Assert.Equal(FakeUpstream.ReplyText(modelId), response.Text);
        Assert.Equal("/v1/chat/completions", _upstream.Last.Path);
        Assert.Equal("sk-proj-openai-behind-anthropic-000000OABA", _upstream.Last.ApiKey);
        Assert.Equal("system", _upstream.Last.Body.GetProperty("messages")[0].GetProperty("role").GetString());

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in claudeSdk.GetStreamingResponseAsync("hello again"))
        {
            updates.Add(update);
        }

        Assert.Equal(FakeUpstream.ReplyText(modelId), updates.ToChatResponse().Text);

        _upstream.ToolCall = ("lookup", """{"q":"modelgate"}""");
        var withTool = await claudeSdk.GetResponseAsync("look it up", new ChatOptions { Tools = [AIFunctionFactory.Create((string q) => q, "lookup")] });
        var call = Assert.Single(withTool.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("lookup", call.Name);
        Assert.Equal("modelgate", call.Arguments!["q"]!.ToString());
    }

    [Fact]
    public async Task TranslatedStream_StartsWithAnEstimateOfTheInputTokens_AndEndsWithTheProvidersCounts()
    {
        var provider = await Admin.CreateProviderAsync("openai", apiKey: "sk-proj-openai-behind-anthropic-000000OABS", baseUrl: _upstream.Url + "/v1");
        var modelId = Catalog.Unique("gpt");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, max_tokens = 100 })).ExpectAsync(HttpStatusCode.Created);
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("stream-usage") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        var http = server.App.CreateClient();
        var client = new AnthropicClient { ApiKey = key, BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'), HttpClient = http, MaxRetries = 0 };
        // The provider reports its usage only in its stream's last chunk.
        _upstream.Usage = (321, 7, 0);
        var prompt = "Tell me, in a few words, what a gateway for language models does and why a team would run one.";

        long? started = null, endInput = null, endOutput = null;
        await foreach (var streamed in client.Messages.CreateStreaming(new Anthropic.Models.Messages.MessageCreateParams
        {
            Model = modelId,
            MaxTokens = 50,
            Messages = [new Anthropic.Models.Messages.UserMessageParam { Content = prompt }],
        }))
        {
            if (streamed.TryPickStart(out var start))
            {
                started = start.Message.Usage.InputTokens;
            }
            else if (streamed.TryPickDelta(out var delta))
            {
                (endInput, endOutput) = (delta.Usage.InputTokens, delta.Usage.OutputTokens);
            }
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.AsIChatClient(modelId).GetStreamingResponseAsync(prompt))
        {
            updates.Add(update);
        }

        // The tokenizer's count of the prompt: about 20 tokens, nowhere near 0 nor the provider's 321.
        Assert.InRange(started!.Value, 15, 40);
        Assert.Equal(321, endInput);
        Assert.Equal(7, endOutput);
        var usage = updates.ToChatResponse().Usage!;
        Assert.Equal(321, usage.InputTokenCount);
        Assert.Equal(7, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ModelDefaults_FillWhatTheCallerLeftOut_NeverTemperatureAndTopPTogether()
    {
        var (purpose, _, key) = await ConfigureAsync(temperature: 0.4, topP: 0.9);
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Add("x-api-key", key);
        var messages = new[] { new { role = "user", content = "hi" } };

        await (await http.PostJsonAsync("/v1/messages", new { model = purpose, messages })).ExpectAsync(HttpStatusCode.OK);
        var plain = _upstream.Last;
        await (await http.PostJsonAsync("/v1/messages", new { model = purpose, max_tokens = 20, top_p = 0.5, messages })).ExpectAsync(HttpStatusCode.OK);
        var own = _upstream.Last;

        Assert.Equal(512, plain.Number("max_tokens"));
        Assert.Equal(0.4, plain.Number("temperature")!.Value, 3);
        Assert.False(plain.Body.TryGetProperty("top_p", out _));
        Assert.Equal(20, own.Number("max_tokens"));
        Assert.Equal(0.5, own.Number("top_p")!.Value, 3);
        Assert.False(own.Body.TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task BearerKey_IsAcceptedAsWellAsXApiKey()
    {
        var (purpose, modelId, key) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);

        var message = await (await http.PostJsonAsync("/v1/messages", new { model = purpose, max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(FakeUpstream.ReplyText(modelId), message.GetProperty("content")[0].Str("text"));
        Assert.Equal(UpstreamKey, _upstream.Last.XApiKey);
    }

    [Fact]
    public async Task WrongKey_Is401InAnthropicFormat()
    {
        var (purpose, _, _) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Add("x-api-key", "mg-wrong");

        var error = await (await http.PostJsonAsync("/v1/messages", new { model = purpose, max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } })).ExpectAsync(HttpStatusCode.Unauthorized);

        Assert.Equal("error", error.Str("type"));
        Assert.Equal("authentication_error", error.GetProperty("error").Str("type"));
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task UpstreamOverloaded_IsA502InAnthropicFormat()
    {
        var (purpose, _, key) = await ConfigureAsync();
        // The first try and both retries fail.
        _upstream.FailNext(529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", times: 3);
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Add("x-api-key", key);

        var error = await (await http.PostJsonAsync("/v1/messages", new { model = purpose, max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } })).ExpectAsync(HttpStatusCode.BadGateway);

        Assert.Equal("api_error", error.GetProperty("error").Str("type"));
        Assert.Contains("Overloaded", error.GetProperty("error").Str("message"), StringComparison.Ordinal);
    }
}

public sealed class GatewayAnthropicTests_Sqlite(SqliteServer server) : GatewayAnthropicTests<SqliteServer>(server);

public sealed class GatewayAnthropicTests_Postgres(PostgresServer server) : GatewayAnthropicTests<PostgresServer>(server);
