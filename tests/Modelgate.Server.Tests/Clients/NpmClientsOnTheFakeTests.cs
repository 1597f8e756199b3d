using System.Text.Json;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests.Clients;

/// <summary>
/// The real npm clients pointed straight at the fake upstream, no gateway: proves the fake's Responses API (and its
/// Anthropic one) is what these clients accept, and records what each of them sends.
/// </summary>
[Collection(NpmClientsCollection.Name)]
public sealed class NpmClientsOnTheFakeTests : IAsyncLifetime
{
    private const string Model = "fake-chat-large";
    private const string Weather = """{"city":"Lyon"}""";
    private static readonly string Reply = FakeUpstream.ReplyText(Model);

    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private Task<JsonElement> RunAsync(string script, params (string Name, string Value)[] settings) =>
        NpmClient.RunAsync(script, _upstream.Url + "/v1", "sk-fake-key", Model, settings.ToDictionary(s => s.Name, s => s.Value));

    // The input items' types, a message without one as its role ("role:user").
    private static string[] Types(JsonElement input) =>
        [.. input.EnumerateArray().Select(i => i.TryGetProperty("type", out var t) ? t.GetString()! : "role:" + i.Str("role"))];

    [Fact]
    public async Task OpenAI_ResponsesCreate_Text()
    {
        var result = (await RunAsync("openai-create.mjs")).Succeeded();

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal("completed", result.Str("status"));
        Assert.StartsWith("resp_", result.Str("id"), StringComparison.Ordinal);
        Assert.Equal(3, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var sent = _upstream.Last;
        Assert.Equal("/v1/responses", sent.Path);
        Assert.Equal("sk-fake-key", sent.ApiKey);
        Assert.Equal("Be brief.", sent.Body.Str("instructions"));
        Assert.Equal(JsonValueKind.String, sent.Body.GetProperty("input").ValueKind);
    }

    [Fact]
    public async Task OpenAI_ResponsesCreate_FunctionTool()
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var result = (await RunAsync("openai-create.mjs", ("MG_TOOLS", "1"))).Succeeded();

        var call = Assert.Single(result.GetProperty("toolCalls").EnumerateArray());
        Assert.Equal(("get_weather", Weather), (call.Str("name"), call.Str("arguments")));
        Assert.StartsWith("call_", call.Str("callId"), StringComparison.Ordinal);
        Assert.Equal("function", _upstream.Last.Body.GetProperty("tools")[0].Str("type"));
    }

    [Fact]
    public async Task OpenAI_ResponsesStream_Text_PassesTheSdksEventChecks()
    {
        var result = (await RunAsync("openai-stream.mjs")).Succeeded();

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal(Reply, result.Str("finalText"));
        Assert.Equal(ResponsesEventOrder.Text(3), result.Strings("events"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.True(_upstream.Last.Body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task OpenAI_ResponsesStream_FunctionCall()
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var result = (await RunAsync("openai-stream.mjs", ("MG_TOOLS", "1"))).Succeeded();

        Assert.Equal(Weather, result.Str("arguments"));
        Assert.Equal(ResponsesEventOrder.FunctionCall(2), result.Strings("events"));
        Assert.Equal("get_weather", Assert.Single(result.GetProperty("toolCalls").EnumerateArray()).Str("name"));
    }

    [Fact]
    public async Task OpenAI_ProviderError_IsTheSdksErrorWithStatusAndMessage()
    {
        _upstream.FailNext(429, """
            {"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}
            """);

        var error = (await RunAsync("openai-create.mjs")).GetProperty("error");

        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.Contains("Rate limit reached", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vercel_GenerateText_SendsInputTextParts()
    {
        var result = (await RunAsync("vercel-generate.mjs")).Succeeded()[0];

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal("stop", result.Str("finishReason"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        var sent = _upstream.Last;
        Assert.Equal("/v1/responses", sent.Path);
        Assert.Equal("input_text", sent.Body.GetProperty("input")[0].GetProperty("content")[0].Str("type"));
        Assert.False(sent.Body.TryGetProperty("store", out _));
    }

    [Fact]
    public async Task Vercel_GenerateText_ToolLoop_SendsTheCallAndItsOutputInline()
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var result = (await RunAsync("vercel-generate.mjs", ("MG_TOOLS", "1"))).Succeeded()[0];

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal(2, result.GetProperty("steps").GetInt32());
        Assert.Equal("sunny in Lyon", result.GetProperty("toolResults")[0].GetString());
        var second = _upstream.Requests.Last().Body.GetProperty("input");
        Assert.Equal(["role:user", "function_call", "function_call_output"], Types(second));
        Assert.Equal(second[1].Str("call_id"), second[2].Str("call_id"));
        Assert.Equal(Weather, second[1].Str("arguments"));
        Assert.False(second[1].TryGetProperty("id", out _));
        Assert.Equal("sunny in Lyon", second[2].Str("output"));
    }

    [Fact]
    public async Task Vercel_SecondTurn_SendsTheEarlierAnswerAsAnItemReference()
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var results = (await RunAsync("vercel-generate.mjs", ("MG_TOOLS", "1"), ("MG_TURNS", "2"))).Succeeded();

        Assert.Equal(Reply, results[1].Str("text"));
        // store is not sent (the API's default, true, applies), so the answer's text goes back as a reference to the
        // stored message (which the fake, like the API, refuses when it does not know it); the tool's call and output
        // go back inline.
        var third = _upstream.Requests.ElementAt(2).Body;
        Assert.Equal(["role:user", "function_call", "function_call_output", "item_reference", "role:user"], Types(third.GetProperty("input")));
        Assert.StartsWith("msg_", third.GetProperty("input")[3].Str("id"), StringComparison.Ordinal);
        Assert.False(third.TryGetProperty("store", out _));
        Assert.False(third.TryGetProperty("previous_response_id", out _));
    }

    [Fact]
    public async Task Vercel_StreamText_Text()
    {
        var result = (await RunAsync("vercel-stream.mjs")).Succeeded();

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal(["Hello", " from", " " + Model], result.GetProperty("deltas").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("stop", result.Str("finishReason"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Vercel_StreamText_ToolLoop()
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var result = (await RunAsync("vercel-stream.mjs", ("MG_TOOLS", "1"))).Succeeded();

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal(2, result.GetProperty("steps").GetInt32());
        Assert.Equal("Lyon", result.GetProperty("toolCalls")[0].GetProperty("input").Str("city"));
        Assert.Equal(["role:user", "function_call", "function_call_output"], Types(_upstream.Last.Body.GetProperty("input")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public async Task Agents_Run_CallsTheToolThenAnswers(string stream)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var result = (await RunAsync("agents-run.mjs", ("MG_STREAM", stream))).Succeeded();

        Assert.Equal(Reply, result.Str("text"));
        Assert.Equal(2, result.GetProperty("modelCalls").GetInt32());
        Assert.Equal(["tool_call_item", "tool_call_output_item", "message_output_item"], result.Strings("items"));
        Assert.Equal(6, result.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        var second = _upstream.Last.Body;
        Assert.Equal(["role:user", "function_call", "function_call_output"], Types(second.GetProperty("input")));
        Assert.StartsWith("fc_", second.GetProperty("input")[1].Str("id"), StringComparison.Ordinal);
        Assert.Equal("Answer with the weather.", second.Str("instructions"));
        Assert.Equal(stream == "1", second.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Anthropic_MessagesCreate_AndCountTokens()
    {
        var result = (await NpmClient.RunAsync("anthropic-messages.mjs", _upstream.Url, "sk-ant-fake", "claude-fake")).Succeeded();

        Assert.Equal(FakeUpstream.ReplyText("claude-fake"), result.Str("text"));
        Assert.Equal("end_turn", result.Str("stopReason"));
        Assert.Equal(result.GetProperty("usage").GetProperty("input_tokens").GetInt32(), result.GetProperty("countedInputTokens").GetInt32());
        Assert.Equal(["/v1/messages", "/v1/messages/count_tokens"], _upstream.Requests.Select(r => r.Path));
    }
}
