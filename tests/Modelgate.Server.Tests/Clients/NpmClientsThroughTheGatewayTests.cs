using System.Net;
using System.Text.Json;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests.Clients;

/// <summary>
/// The real npm clients, unchanged, pointed at the gateway with a virtual key and the purpose <c>chat</c> as the model,
/// whose default is a model of an OpenAI provider (the Responses API passes through), of an OpenAI-compatible provider
/// (translated to chat completions) or of an Anthropic provider (translated to messages). Whatever the provider, the
/// caller sees OpenAI's Responses API: the same response, the same events in the same order, tools and usage.
/// </summary>
[Collection(NpmClientsCollection.Name)]
public sealed class NpmClientsThroughTheGatewayTests(GatewayOnAPort gateway) : IClassFixture<GatewayOnAPort>, IAsyncLifetime
{
    private const string UpstreamKey = "sk-upstream-secret-000000000000000NPMC";
    private const string Weather = """{"city":"Lyon"}""";
    private FakeUpstream _upstream = null!;

    public static TheoryData<string> Kinds => ["openai", "openai-compatible", "anthropic"];

    public static TheoryData<string, bool> KindsAndStreaming => new()
    {
        { "openai", false }, { "openai", true }, { "openai-compatible", false }, { "openai-compatible", true },
        { "anthropic", false }, { "anthropic", true },
    };

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>A provider of this kind on the fake, a model of it as the default for chat, and a virtual key.</summary>
    private async Task<(string ModelId, string Key)> ConfigureAsync(string kind)
    {
        var admin = gateway.Admin;
        var baseUrl = _upstream.Url + kind switch { "anthropic" => "", "azure-openai" => "/openai/v1", _ => "/v1" };
        var provider = await admin.CreateProviderAsync(kind, apiKey: UpstreamKey, baseUrl: baseUrl);
        var model = Catalog.Unique(kind == "anthropic" ? "claude" : "gpt");
        await admin.CreateModelAsync(provider.Str("id"), modelId: model);
        await (await admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = model })).ExpectAsync(HttpStatusCode.OK);
        var created = await (await admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("npm") })).ExpectAsync(HttpStatusCode.Created);
        var key = created.Str("key");
        return (model, key);
    }

    /// <summary>Runs the script against the gateway, the purpose's default being a new model of a provider of this kind.</summary>
    private async Task<(JsonElement Result, string Model)> RunAsync(string kind, string script, params (string Name, string Value)[] settings)
    {
        var (model, key) = await ConfigureAsync(kind);
        var result = await NpmClient.RunAsync(script, gateway.Url + "/v1", key, "chat", settings.ToDictionary(s => s.Name, s => s.Value));
        return (result, model);
    }

    /// <summary>Asserts the call succeeded and every request the provider saw was in its own format, for the model, with its key.</summary>
    private JsonElement Served(string kind, (JsonElement Result, string Model) run)
    {
        run.Result.Succeeded();
        var path = kind switch
        {
            "openai" => "/v1/responses", "azure-openai" => "/openai/v1/responses", "openai-compatible" => "/v1/chat/completions",
            _ => "/v1/messages",
        };
        Assert.NotEmpty(_upstream.Requests);
        Assert.All(_upstream.Requests, sent => Assert.Equal((path, run.Model, UpstreamKey), (sent.Path, sent.Model, sent.ApiKey)));
        return run.Result;
    }

    private static void AssertWeatherArguments(string arguments) =>
        Assert.Equal("Lyon", JsonDocument.Parse(arguments).RootElement.Str("city"));

    // The provider's second request answers its first's tool call with the tool's output, in the provider's format.
    private void AssertToolOutputWentBack(string kind)
    {
        var body = _upstream.Requests.Last().Body;
        switch (kind)
        {
            case "openai":
                var items = body.GetProperty("input").EnumerateArray().ToList();
                var call = items.Single(i => i.TryGetProperty("type", out var t) && t.GetString() == "function_call");
                var output = items.Single(i => i.TryGetProperty("type", out var t) && t.GetString() == "function_call_output");
                Assert.Equal(call.Str("call_id"), output.Str("call_id"));
                Assert.Contains("sunny in Lyon", output.GetProperty("output").ToString(), StringComparison.Ordinal);
                break;
            case "openai-compatible":
                var messages = body.GetProperty("messages").EnumerateArray().ToList();
                var assistant = messages.Single(m => m.Str("role") == "assistant");
                var tool = messages.Single(m => m.Str("role") == "tool");
                Assert.Equal(assistant.GetProperty("tool_calls")[0].Str("id"), tool.Str("tool_call_id"));
                Assert.Equal("get_weather", assistant.GetProperty("tool_calls")[0].GetProperty("function").Str("name"));
                Assert.Contains("sunny in Lyon", tool.GetProperty("content").ToString(), StringComparison.Ordinal);
                break;
            default:
                var blocks = body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content"))
                    .SelectMany(content => content.ValueKind == JsonValueKind.Array ? content.EnumerateArray() : []).ToList();
                var use = blocks.Single(b => b.Str("type") == "tool_use");
                var result = blocks.Single(b => b.Str("type") == "tool_result");
                Assert.Equal(use.Str("id"), result.Str("tool_use_id"));
                Assert.Contains("sunny in Lyon", result.GetProperty("content").ToString(), StringComparison.Ordinal);
                break;
        }
    }

    /// <summary>
    /// An alias as the model, with an experiment splitting it between two models and a shadow copying its calls: the
    /// unchanged clients get the answer of the variant they were assigned, never the shadow's.
    /// </summary>
    [Theory]
    [InlineData("openai-create.mjs")]
    [InlineData("vercel-generate.mjs")]
    public async Task AliasUnderAnExperiment_ServesTheUnchangedClients_TheirVariantsAnswer(string script)
    {
        var admin = gateway.Admin;
        var provider = await admin.CreateProviderAsync("openai", apiKey: UpstreamKey, baseUrl: _upstream.Url + "/v1");
        var models = new List<string>();
        foreach (var prefix in new[] { "gpt-a", "gpt-b", "gpt-shadow" })
        {
            models.Add(Catalog.Unique(prefix));
            await admin.CreateModelAsync(provider.Str("id"), modelId: models[^1]);
        }

        var alias = Catalog.Unique("smart");
        await (await admin.PutJsonAsync($"/api/v1/aliases/{alias}", new { model_id = models[0] })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostJsonAsync("/api/v1/experiments", new
        {
            name = Catalog.Unique("npm"), target = alias, stickiness = "request",
            variants = new object[] { new { name = "a", weight = 50 }, new { name = "b", model_id = models[1], weight = 50 }, new { name = "s", model_id = models[2], weight = 100, shadow = true } },
        })).ExpectAsync(HttpStatusCode.Created);
        var key = (await (await admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("npm") })).ExpectAsync(HttpStatusCode.Created)).Str("key");

        var result = await NpmClient.RunAsync(script, gateway.Url + "/v1", key, alias);

        result.Succeeded();
        var answer = script == "openai-create.mjs" ? result.Str("text") : result[0].Str("text");
        Assert.Contains(answer, new[] { FakeUpstream.ReplyText(models[0]), FakeUpstream.ReplyText(models[1]) });
        Assert.Contains(_upstream.Requests, r => r.Model == (answer == FakeUpstream.ReplyText(models[0]) ? models[0] : models[1]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAI_ResponsesCreate_Text(string kind)
    {
        var run = await RunAsync(kind, "openai-create.mjs");
        var result = Served(kind, run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal("completed", result.Str("status"));
        Assert.StartsWith("resp_", result.Str("id"), StringComparison.Ordinal);
        Assert.Equal(["message"], result.GetProperty("output").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.True(result.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
        // The instructions reach the provider (as instructions, a system message or Anthropic's system).
        Assert.Contains("Be brief.", _upstream.Last.Body.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAI_ResponsesCreate_FunctionTool(string kind)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var run = await RunAsync(kind, "openai-create.mjs", ("MG_TOOLS", "1"));
        var result = Served(kind, run);

        var call = Assert.Single(result.GetProperty("toolCalls").EnumerateArray());
        Assert.Equal("get_weather", call.Str("name"));
        Assert.False(string.IsNullOrEmpty(call.Str("callId")));
        AssertWeatherArguments(call.Str("arguments"));
        Assert.Equal(["function_call"], result.GetProperty("output").EnumerateArray().Select(o => o.GetString()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAI_ResponsesStream_Text_HasOpenAIsEventsInOrder(string kind)
    {
        var run = await RunAsync(kind, "openai-stream.mjs");
        var result = Served(kind, run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("finalText"));
        Assert.Equal("completed", result.Str("status"));
        Assert.Equal(ResponsesEventOrder.Text(1), ResponsesEventOrder.Collapsed(result.Strings("events")));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAI_ResponsesStream_FunctionCall(string kind)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var run = await RunAsync(kind, "openai-stream.mjs", ("MG_TOOLS", "1"));
        var result = Served(kind, run);

        Assert.Equal(ResponsesEventOrder.FunctionCall(1), ResponsesEventOrder.Collapsed(result.Strings("events")));
        AssertWeatherArguments(result.Str("arguments"));
        Assert.Equal("get_weather", Assert.Single(result.GetProperty("toolCalls").EnumerateArray()).Str("name"));
    }

    // Azure OpenAI's v1 API has the Responses API too: it passes through to /openai/v1/responses.
    [Theory]
    [InlineData("openai-create.mjs")]
    [InlineData("openai-stream.mjs")]
    public async Task AzureOpenAI_PassesThroughToItsV1Path(string script)
    {
        var run = await RunAsync("azure-openai", script);
        var result = Served("azure-openai", run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAI_ProviderRateLimit_ReachesTheSdkAs429(string kind)
    {
        _upstream.FailNext(429, kind == "anthropic"
            ? """{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}"""
            : """{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", times: 3);

        var error = (await RunAsync(kind, "openai-create.mjs")).Result.GetProperty("error");

        Assert.Equal(429, error.GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Vercel_GenerateText(string kind)
    {
        var run = await RunAsync(kind, "vercel-generate.mjs");
        var result = Served(kind, run)[0];

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal("stop", result.Str("finishReason"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("outputTokens").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Vercel_GenerateText_ToolLoopOverTwoSteps(string kind)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var run = await RunAsync(kind, "vercel-generate.mjs", ("MG_TOOLS", "1"));
        var result = Served(kind, run)[0];

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal(2, result.GetProperty("steps").GetInt32());
        Assert.Equal("Lyon", result.GetProperty("toolCalls")[0].GetProperty("input").Str("city"));
        Assert.Equal("sunny in Lyon", result.GetProperty("toolResults")[0].GetString());
        Assert.Equal(2, _upstream.Requests.Count);
        AssertToolOutputWentBack(kind);
    }

    // The Vercel AI SDK's default (store unset, so true) sends the first answer's text back as an item_reference to its
    // msg_ id: the gateway must resolve it (or pass it to a provider that stored it), so the provider sees the text.
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Vercel_SecondTurn_WithTheFirstAnswerAsAnItemReference(string kind)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var run = await RunAsync(kind, "vercel-generate.mjs", ("MG_TOOLS", "1"), ("MG_TURNS", "2"));
        var results = Served(kind, run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), results[1].Str("text"));
        Assert.Equal(3, _upstream.Requests.Count);
        if (kind != "openai")
        {
            Assert.Contains(FakeUpstream.ReplyText(run.Model), _upstream.Last.Body.GetProperty("messages").ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Vercel_StreamText(string kind)
    {
        var run = await RunAsync(kind, "vercel-stream.mjs");
        var result = Served(kind, run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.True(result.GetProperty("deltas").GetArrayLength() > 1, "the text should arrive in pieces");
        Assert.Equal("stop", result.Str("finishReason"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Vercel_StreamText_ToolLoopOverTwoSteps(string kind)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var run = await RunAsync(kind, "vercel-stream.mjs", ("MG_TOOLS", "1"));
        var result = Served(kind, run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal(2, result.GetProperty("steps").GetInt32());
        Assert.Equal("Lyon", result.GetProperty("toolCalls")[0].GetProperty("input").Str("city"));
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        AssertToolOutputWentBack(kind);
    }

    [Theory]
    [MemberData(nameof(KindsAndStreaming))]
    public async Task Agents_Run_CallsTheToolThenAnswers(string kind, bool stream)
    {
        _upstream.ToolCall = ("get_weather", Weather);

        var run = await RunAsync(kind, "agents-run.mjs", ("MG_STREAM", stream ? "1" : "0"));
        var result = Served(kind, run);

        Assert.Equal(FakeUpstream.ReplyText(run.Model), result.Str("text"));
        Assert.Equal(2, result.GetProperty("modelCalls").GetInt32());
        Assert.Equal(["tool_call_item", "tool_call_output_item", "message_output_item"], result.Strings("items"));
        Assert.Equal(6, result.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        AssertToolOutputWentBack(kind);
    }

    // Anthropic's SDK on /v1/messages (served before the Responses API: the harness's baseline).
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Anthropic_MessagesCreate(string kind)
    {
        var (model, key) = await ConfigureAsync(kind);

        var messagesOnly = new Dictionary<string, string> { ["MG_COUNT_TOKENS"] = "0" };
        var result = (await NpmClient.RunAsync("anthropic-messages.mjs", gateway.Url, key, "chat", messagesOnly)).Succeeded();

        Assert.Equal(FakeUpstream.ReplyText(model), result.Str("text"));
        Assert.Equal("end_turn", result.Str("stopReason"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(model, _upstream.Last.Model);
    }

    // Anthropic's SDK on /v1/messages/count_tokens: counted by the provider when it is Anthropic, estimated otherwise.
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Anthropic_CountTokens(string kind)
    {
        var (model, key) = await ConfigureAsync(kind);

        var result = (await NpmClient.RunAsync("anthropic-messages.mjs", gateway.Url, key, "chat")).Succeeded();

        Assert.Equal(FakeUpstream.ReplyText(model), result.Str("text"));
        Assert.True(result.GetProperty("countedInputTokens").GetInt32() > 0);
        if (kind == "anthropic")
        {
            Assert.Equal(("/v1/messages/count_tokens", model), (_upstream.Last.Path, _upstream.Last.Model));
            Assert.Equal(result.GetProperty("usage").GetProperty("input_tokens").GetInt32(), result.GetProperty("countedInputTokens").GetInt32());
        }
    }
}
