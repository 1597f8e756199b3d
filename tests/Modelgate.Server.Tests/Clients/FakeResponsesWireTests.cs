using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Modelgate.Testing.Upstreams;
using OpenAI;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client as experimental.

namespace Modelgate.Server.Tests.Clients;

/// <summary>
/// The fake upstream's Responses API, read by the official OpenAI .NET SDK's Responses client with no gateway in
/// between: what the SDK accepts here is what the gateway's passthrough and translation must produce.
/// </summary>
public sealed class FakeResponsesWireTests : IAsyncLifetime
{
    private const string Model = "fake-chat-large";
    private static readonly BinaryData WeatherParameters =
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private ResponsesClient Sdk(string path = "/v1") => new OpenAIClient(new ApiKeyCredential("sk-fake"), new OpenAIClientOptions
    {
        Endpoint = new Uri(_upstream.Url + path),
        RetryPolicy = new ClientRetryPolicy(0),
    }).GetResponsesClient();

    private static CreateResponseOptions WithWeatherTool(string input, bool stream = false) => new(Model, [ResponseItem.CreateUserMessageItem(input)])
    {
        StreamingEnabled = stream,
        Tools = { ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false, "Weather for a city") },
    };

    [Theory]
    [InlineData("/v1")]
    [InlineData("/openai/v1")]
    public async Task Text_IsAResponseWithOneMessageAndUsage(string path)
    {
        var response = (await Sdk(path).CreateResponseAsync(Model, "hello there")).Value;

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(Model, response.Model);
        Assert.Equal(FakeUpstream.ReplyText(Model), response.GetOutputText());
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + 3, response.Usage.TotalTokenCount);
        Assert.Equal(path + "/responses", _upstream.Last.Path);
        Assert.Equal("sk-fake", _upstream.Last.ApiKey);
    }

    [Fact]
    public async Task Usage_WhenSet_IsReportedWithTheCachedTokens()
    {
        _upstream.Usage = (Prompt: 120, Completion: 7, Cached: 100);

        var usage = (await Sdk().CreateResponseAsync(Model, "hello")).Value.Usage;

        Assert.Equal(
            (120, 7, 127, 100),
            (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount, usage.InputTokenDetails.CachedTokenCount));
    }

    [Fact]
    public async Task StreamingText_DeltasMakeTheReply_AndTheCompletedUpdateHasUsage()
    {
        var text = new StringBuilder();
        var kinds = new List<string>();
        var sequence = new List<int>();
        ResponseResult? completed = null;
        var stream = Sdk().CreateResponseStreamingAsync(Model, "hello there");
        {
            await foreach (var update in stream)
            {
                kinds.Add(update.GetType().Name);
                sequence.Add(update.SequenceNumber);
                text.Append((update as StreamingResponseOutputTextDeltaUpdate)?.Delta);
                completed ??= (update as StreamingResponseCompletedUpdate)?.Response;
            }
        }

        Assert.Equal(FakeUpstream.ReplyText(Model), text.ToString());
        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.Equal("StreamingResponseCreatedUpdate", kinds[0]);
        Assert.Equal("StreamingResponseCompletedUpdate", kinds[^1]);
        Assert.True(kinds.Count(k => k == "StreamingResponseOutputTextDeltaUpdate") > 2);
        Assert.Contains("StreamingResponseOutputTextDoneUpdate", kinds);
        Assert.NotNull(completed);
        Assert.Equal(FakeUpstream.ReplyText(Model), completed!.GetOutputText());
        Assert.Equal(3, completed.Usage.OutputTokenCount);
        Assert.True(_upstream.Last.Body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task FunctionCall_ComesAsAFunctionCallItem_AndItsResultGetsText()
    {
        _upstream.ToolCall = ("get_weather", """{"city":"Lyon"}""");

        var response = (await Sdk().CreateResponseAsync(WithWeatherTool("Weather in Lyon?"))).Value;

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        Assert.StartsWith("fc_", call.Id, StringComparison.Ordinal);
        Assert.Equal("""{"city":"Lyon"}""", call.FunctionArguments.ToString());
        Assert.Equal("get_weather", _upstream.Last.Body.GetProperty("tools")[0].GetProperty("name").GetString());

        // The tool's result, with the whole conversation, is answered with text.
        var followUp = WithWeatherTool("Weather in Lyon?");
        followUp.InputItems.Add(call);
        followUp.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "sunny"));
        Assert.Equal(FakeUpstream.ReplyText(Model), (await Sdk().CreateResponseAsync(followUp)).Value.GetOutputText());
    }

    [Fact]
    public async Task StreamingFunctionCall_ArgumentDeltasThenTheWholeCall()
    {
        _upstream.ToolCall = ("get_weather", """{"city":"Oslo"}""");
        var arguments = new StringBuilder();
        StreamingResponseFunctionCallArgumentsDoneUpdate? done = null;
        FunctionCallResponseItem? item = null;
        ResponseResult? completed = null;
        var stream = Sdk().CreateResponseStreamingAsync(WithWeatherTool("Weather in Oslo?", stream: true));
        {
            await foreach (var update in stream)
            {
                arguments.Append((update as StreamingResponseFunctionCallArgumentsDeltaUpdate)?.Delta?.ToString());
                done ??= update as StreamingResponseFunctionCallArgumentsDoneUpdate;
                item ??= (update as StreamingResponseOutputItemDoneUpdate)?.Item as FunctionCallResponseItem;
                completed ??= (update as StreamingResponseCompletedUpdate)?.Response;
            }
        }

        Assert.Equal("""{"city":"Oslo"}""", arguments.ToString());
        Assert.Equal("get_weather", done?.FunctionName);
        Assert.Equal("""{"city":"Oslo"}""", done?.FunctionArguments.ToString());
        Assert.Equal(("get_weather", """{"city":"Oslo"}"""), (item?.FunctionName, item?.FunctionArguments.ToString()));
        Assert.StartsWith("call_", item!.CallId, StringComparison.Ordinal);
        Assert.Equal(item.CallId, Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed!.OutputItems)).CallId);
    }

    [Fact]
    public async Task ProviderError_IsTheSdksExceptionWithStatusAndMessage()
    {
        _upstream.FailNext(400, """
            {"error":{"message":"Invalid value: 'x'. Supported values are: 'auto'.","type":"invalid_request_error",
             "param":"tool_choice","code":"invalid_value"}}
            """);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk().CreateResponseAsync(Model, "hello"));

        Assert.Equal(400, error.Status);
        Assert.Contains("Supported values are", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamEndingWithoutResponseCompleted_GivesTheSdkTheFirstEventsOnly()
    {
        _upstream.Faults.Enqueue(UpstreamFault.EndWithoutMarker);
        var updates = new List<StreamingResponseUpdate>();
        var stream = Sdk().CreateResponseStreamingAsync(Model, "hello");
        {
            await foreach (var update in stream)
            {
                updates.Add(update);
            }
        }

        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.Equal("Hello", Assert.IsType<StreamingResponseOutputTextDeltaUpdate>(updates[^1]).Delta);
        Assert.DoesNotContain(updates, u => u is StreamingResponseCompletedUpdate);
    }

    [Fact]
    public async Task MicrosoftExtensionsAI_OverTheResponsesClient_TextAndAToolLoop()
    {
        var chat = Sdk().AsIChatClient(Model);
        var text = (await chat.GetResponseAsync("hello")).Text;
        _upstream.ToolCall = ("get_weather", """{"city":"Lyon"}""");
        var weather = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather");
        using var agent = chat.AsBuilder().UseFunctionInvocation().Build();

        var answer = await agent.GetResponseAsync("Weather in Lyon?", new ChatOptions { Tools = [weather] });

        Assert.Equal(FakeUpstream.ReplyText(Model), text);
        Assert.Equal(FakeUpstream.ReplyText(Model), answer.Text);
        var output = _upstream.Last.Body.GetProperty("input").EnumerateArray().Last();
        Assert.Equal("function_call_output", output.Str("type"));
        // M.E.AI sends the function's result serialized as JSON, a string in quotes.
        Assert.Equal("\"sunny in Lyon\"", output.Str("output"));
    }

    // Microsoft.Extensions.AI.OpenAI is built against OpenAI 2.14.0, the version pinned here: 2.15.0 changed
    // CreateResponseStreamingAsync's return type, and M.E.AI's streaming over the Responses client then failed with
    // MissingMethodException (in any application whose packages resolve OpenAI to 2.15).
    [Fact]
    public async Task MicrosoftExtensionsAI_ResponsesStreaming_Works()
    {
        var chat = Sdk().AsIChatClient(Model);

        var response = await chat.GetStreamingResponseAsync("hello").ToChatResponseAsync();

        Assert.Equal(FakeUpstream.ReplyText(Model), response.Text);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hi","max_tokens":5}""", 400, "Unknown parameter: 'max_tokens'.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", 400, "Unknown parameter: 'messages'.")]
    [InlineData("""{"model":"m","input":"hi","stream":true,"stream_options":{"include_usage":true}}""", 400, "'stream_options.include_usage'")]
    [InlineData("""{"model":"m","input":"hi","previous_response_id":"resp_unknown"}""", 400, "Previous response with id 'resp_unknown' not found.")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"msg_unknown"}]}""", 404, "Item with id 'msg_unknown' not found.")]
    public async Task WhatTheRealApiRefuses_IsRefusedInItsErrorFormat(string body, int status, string message)
    {
        using var http = new HttpClient();

        var response = await http.PostAsync(_upstream.Url + "/v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));

        var error = (await response.JsonAsync()).GetProperty("error");
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Contains(message, error.Str("message"), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error.Str("type"));
    }

    [Fact]
    public async Task StoredResponse_CanBeContinued_ByIdOrByItemReference_ButNotWhenStoreIsFalse()
    {
        var first = (await Sdk().CreateResponseAsync(Model, "hello")).Value;
        var unstoredOptions = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("hi")]) { StoredOutputEnabled = false };
        var unstored = (await Sdk().CreateResponseAsync(unstoredOptions)).Value;

        var second = (await Sdk().CreateResponseAsync(Model, "and again", previousResponseId: first.Id)).Value;
        var byReference = await Sdk().CreateResponseAsync(
            Model, [ResponseItem.CreateReferenceItem(first.OutputItems[0].Id), ResponseItem.CreateUserMessageItem("more")]);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk().CreateResponseAsync(Model, "more", previousResponseId: unstored.Id));

        Assert.Equal(first.Id, second.PreviousResponseId);
        Assert.Equal(200, byReference.GetRawResponse().Status);
        Assert.Equal(400, error.Status);
    }
}
