using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;
using OpenAI;
using OpenAI.Chat;

namespace Modelgate.Server.Tests;

/// <summary>OpenAI-format callers (the official OpenAI SDK) served by an Anthropic provider: translated both ways.</summary>
public abstract class GatewayTranslationTests<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : ServerFixture
{
    private const string UpstreamKey = "sk-ant-api03-translated-secret-00000000TRAN";
    private FakeUpstream _upstream = null!;
    private HttpClient Admin => server.Admin;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private async Task<(string Purpose, string ModelId, ChatClient Chat)> ConfigureAsync()
    {
        var provider = await Admin.CreateProviderAsync("anthropic", apiKey: UpstreamKey, baseUrl: _upstream.Url);
        var modelId = Catalog.Unique("claude");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, max_tokens = 700 })).ExpectAsync(HttpStatusCode.Created);
        var purpose = "agents/" + Catalog.Unique("tr");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("openai-caller") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        var http = server.App.CreateClient();
        var client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        });
        return (purpose, modelId, client.GetChatClient(purpose));
    }

    [Fact]
    public async Task OpenAIRequest_ToAnthropicProvider_IsTranslatedBothWays()
    {
        var (_, modelId, chat) = await ConfigureAsync();

        var completion = (await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("hello")])).Value;

        Assert.Equal(FakeUpstream.ReplyText(modelId), completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        var sent = _upstream.Last;
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(modelId, sent.Model);
        Assert.Equal(UpstreamKey, sent.ApiKey);
        Assert.Equal(700, sent.Number("max_tokens"));
        Assert.Contains("Be brief.", sent.Body.GetProperty("system").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_IsTranslatedIntoOpenAIChunksWithUsage()
    {
        var (_, modelId, chat) = await ConfigureAsync();

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hello")], new ChatCompletionOptions()))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(FakeUpstream.ReplyText(modelId), text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(FakeUpstream.ReplyText(modelId).Split(' ').Length, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task ToolCalls_AreTranslatedBothWays()
    {
        var (_, _, chat) = await ConfigureAsync();
        _upstream.ToolCall = ("get_weather", """{"city":"Lyon"}""");
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

        var completion = (await chat.CompleteChatAsync([new UserChatMessage("Weather in Lyon?")], new ChatCompletionOptions { Tools = { tool } })).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Contains("Lyon", call.FunctionArguments.ToString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", _upstream.Last.Body.GetProperty("tools")[0].GetProperty("name").GetString());

        // The tool result goes back as Anthropic's tool_result block.
        _upstream.ToolCall = null;
        var followUp = (await chat.CompleteChatAsync([new UserChatMessage("Weather in Lyon?"), new AssistantChatMessage(completion), new ToolChatMessage(call.Id, "sunny")])).Value;
        Assert.NotEmpty(followUp.Content);
        Assert.Contains("tool_result", _upstream.Last.Body.GetProperty("messages").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(529, 502)]
    [InlineData(429, 429)]
    public async Task ProviderFailure_BeforeTheFirstByte_IsAnOpenAIError(int upstreamStatus, int expected)
    {
        var (_, _, chat) = await ConfigureAsync();
        // The first try and both retries fail.
        _upstream.FailNext(upstreamStatus, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", times: 3);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(expected, error.Status);
    }
}

public sealed class GatewayTranslationTests_Sqlite(SqliteServer server) : GatewayTranslationTests<SqliteServer>(server);

public sealed class GatewayTranslationTests_Postgres(PostgresServer server) : GatewayTranslationTests<PostgresServer>(server);
