#pragma warning disable OPENAI001 // The OpenAI SDK marks its Responses client as evaluation-only.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;
using OpenAI;
using OpenAI.Responses;

namespace Modelgate.Server.Tests;

/// <summary>
/// OpenAI Responses API callers (the official OpenAI SDK's Responses client, and Microsoft.Extensions.AI's client over
/// it) served by providers without a Responses API: an Anthropic provider and an OpenAI-compatible one. The request is
/// translated to the provider's chat API and the answer back into a Responses object or event stream.
/// Protocol behaviour does not depend on the database, so this runs on SQLite only.
/// </summary>
public sealed class GatewayResponsesTranslationTests(SqliteServer server) : IClassFixture<SqliteServer>, IAsyncLifetime
{
    private const string UpstreamKey = "sk-translated-responses-secret-0000000RESP";
    private FakeUpstream _upstream = null!;
    private HttpClient Admin => server.Admin;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    // A purpose served by a model of a provider of this type, and a key for it.
    private async Task<(string Purpose, string ModelId, string Key)> ConfigureAsync(string type)
    {
        var provider = await Admin.CreateProviderAsync(type, apiKey: UpstreamKey, baseUrl: type == "anthropic" ? _upstream.Url : _upstream.Url + "/v1");
        var modelId = Catalog.Unique("model");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, max_tokens = 500 })).ExpectAsync(HttpStatusCode.Created);
        var purpose = "agents/" + Catalog.Unique("resp");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("responses-caller") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        return (purpose, modelId, key);
    }

    private ResponsesClient Sdk(string key)
    {
        var http = server.App.CreateClient();
        return new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetResponsesClient();
    }

    private HttpClient Raw(string key)
    {
        var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return http;
    }

    [Theory]
    [InlineData("anthropic", "/v1/messages")]
    [InlineData("openai-compatible", "/v1/chat/completions")]
    public async Task Text_IsTranslatedToTheProvidersChatApi_AndBackIntoAResponse(string type, string upstreamPath)
    {
        var (purpose, modelId, key) = await ConfigureAsync(type);
        IChatClient chat = Sdk(key).AsIChatClient(purpose);

        var response = await chat.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "hello")], new ChatOptions { Temperature = 0.2f });

        Assert.Equal(FakeUpstream.ReplyText(modelId), response.Text);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.Equal(FakeUpstream.ReplyText(modelId).Split(' ').Length, response.Usage?.OutputTokenCount);
        Assert.Equal(ResponseStatus.Completed, Assert.IsType<ResponseResult>(response.RawRepresentation).Status);
        var sent = _upstream.Last;
        Assert.Equal(upstreamPath, sent.Path);
        Assert.Equal(modelId, sent.Model);
        Assert.Equal(UpstreamKey, sent.ApiKey);
        if (type != "anthropic")
        {
            // The Anthropic SDK that translates has no temperature (AnthropicAdapter).
            Assert.Equal(0.2, sent.Number("temperature")!.Value, 3);
        }

        Assert.Contains("Be brief.", sent.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_ArrivesAsTheResponsesEventSequence_WithUsageInTheCompletedEvent()
    {
        var (purpose, modelId, key) = await ConfigureAsync("openai-compatible");

        var kinds = new List<string>();
        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in Sdk(key).CreateResponseStreamingAsync(purpose, "hello", null))
        {
            kinds.Add(update.GetType().Name);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal(FakeUpstream.ReplyText(modelId), text.ToString());
        Assert.Equal("StreamingResponseCreatedUpdate", kinds[0]);
        Assert.Equal("StreamingResponseCompletedUpdate", kinds[^1]);
        Assert.True(kinds.Count(k => k == "StreamingResponseOutputTextDeltaUpdate") > 1, string.Join(", ", kinds));
        Assert.NotNull(completed);
        Assert.Equal(ResponseStatus.Completed, completed!.Status);
        Assert.Equal(FakeUpstream.ReplyText(modelId), completed.GetOutputText());
        Assert.Equal(FakeUpstream.ReplyText(modelId).Split(' ').Length, completed.Usage.OutputTokenCount);
        // The gateway asked the provider's stream for its usage.
        Assert.True(_upstream.Last.Body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("openai-compatible")]
    public async Task FunctionCalls_GoOutAsResponseItems_AndTheirOutputsComeBackAsTheProvidersToolMessages(string type)
    {
        var (purpose, _, key) = await ConfigureAsync(type);
        _upstream.ToolCall = ("get_weather", """{"city":"Paris"}""");
        IChatClient chat = Sdk(key).AsIChatClient(purpose);
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", "The weather in a city",
            JsonSerializer.SerializeToElement(new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } }));
        var options = new ChatOptions { Tools = [tool] };
        List<ChatMessage> conversation = [new(ChatRole.User, "Weather in Paris?")];

        var first = await chat.GetResponseAsync(conversation, options);

        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        var declared = _upstream.Last.Body.GetProperty("tools")[0];
        Assert.Equal("get_weather", type == "anthropic" ? declared.GetProperty("name").GetString() : declared.GetProperty("function").GetProperty("name").GetString());

        _upstream.ToolCall = null;
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "18 degrees and sunny")]));
        var second = await chat.GetResponseAsync(conversation, options);

        Assert.False(string.IsNullOrEmpty(second.Text));
        var sent = _upstream.Last.Body.GetProperty("messages").ToString();
        Assert.Contains(call.CallId, sent, StringComparison.Ordinal);
        Assert.Contains("18 degrees and sunny", sent, StringComparison.Ordinal);
        Assert.Contains("Paris", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamedFunctionCall_ArrivesAsItsArgumentEvents()
    {
        var (purpose, _, key) = await ConfigureAsync("anthropic");
        _upstream.ToolCall = ("lookup", """{"q":"modelgate"}""");
        var options = new CreateResponseOptions { Model = purpose, StreamingEnabled = true, InputItems = { ResponseItem.CreateUserMessageItem("look it up") } };
        options.Tools.Add(ResponseTool.CreateFunctionTool("lookup", BinaryData.FromString("""{"type":"object","properties":{"q":{"type":"string"}}}"""), false, "Looks up"));

        var arguments = new System.Text.StringBuilder();
        FunctionCallResponseItem? done = null;
        await foreach (var update in Sdk(key).CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseFunctionCallArgumentsDeltaUpdate delta)
            {
                arguments.Append(delta.Delta.ToString());
            }
            else if (update is StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem call })
            {
                done = call;
            }
        }

        Assert.Equal("modelgate", JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("q").GetString());
        Assert.NotNull(done);
        Assert.Equal("lookup", done!.FunctionName);
        Assert.Equal(arguments.ToString(), done.FunctionArguments.ToString());
    }

    [Theory]
    [InlineData("""{"model":"{p}"}""", "input")]
    [InlineData("""{"model":"{p}","input":[]}""", "input")]
    [InlineData("""{"model":"{p}","input":["hello"]}""", "input[0]")]
    [InlineData("""{"model":"{p}","input":[{"type":"item_reference","id":"msg_1"}]}""", "input")]
    [InlineData("""{"model":"{p}","input":"hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"model":"{p}","input":"hi","tools":[{"type":"web_search"}]}""", "tools")]
    [InlineData("""{"model":"{p}","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}""", "input[0]")]
    [InlineData("""{"model":"{p}","input":"hi","prompt":{"id":"pmpt_1"}}""", "prompt")]
    [InlineData("""{"model":"{p}","input":"hi","background":true}""", "background")]
    [InlineData("""{"model":"{p}","input":[{"type":"item_reference","id":1}]}""", "input[0]")]
    public async Task InputTheProviderCannotTake_IsA400InOpenAIsFormat_AndNothingIsSent(string template, string param)
    {
        var (purpose, _, key) = await ConfigureAsync("anthropic");
        var before = _upstream.Requests.Count;

        var response = await Raw(key).PostAsync("/v1/responses", new StringContent(template.Replace("{p}", purpose, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(before, _upstream.Requests.Count);
    }

    [Fact]
    public async Task AStreamCutMidway_EndsWithTheResponsesErrorEvent_WhichTheSdkRaises()
    {
        var (purpose, _, key) = await ConfigureAsync("openai-compatible");
        _upstream.Faults.Enqueue(UpstreamFault.DropMidStream);

        var text = new System.Text.StringBuilder();
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var update in Sdk(key).CreateResponseStreamingAsync(purpose, "hello", null))
            {
                if (update is StreamingResponseOutputTextDeltaUpdate delta)
                {
                    text.Append(delta.Delta);
                }
                else if (update is StreamingResponseErrorUpdate failed)
                {
                    throw new InvalidOperationException(failed.Message);
                }
            }
        });

        Assert.Equal("Hel", text.ToString());
        Assert.DoesNotContain(UpstreamKey, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("provider", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
