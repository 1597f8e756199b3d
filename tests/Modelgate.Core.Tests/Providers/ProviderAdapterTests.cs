using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Providers;
using Modelgate.Core.Resolution;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Core.Tests.Providers;

/// <summary>
/// Each provider kind, through its official SDK, against a fake upstream speaking that provider's wire format:
/// the right model, key and parameters go out, and the answer (text, streaming, usage, tool calls) comes back.
/// </summary>
public sealed class ProviderAdapterTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private readonly SocketsHttpHandler _http = new();

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _upstream.DisposeAsync();
    }

    public static TheoryData<string, string> ChatKinds => new()
    {
        { "anthropic", "" },
        { "openai", "/v1" },
        { "azure-openai", "/openai/v1" },
        { "openai-compatible", "/v1" },
        { "ollama", "" },
        { "mistral", "/v1" },
        { "groq", "/openai/v1" },
        { "deepseek", "/v1" },
        { "gemini", "/v1" },
        { "bedrock", "/openai/v1" },
        { "vllm", "/v1" },
    };

    private ResolvedModel Resolved(string kind, string path, string model, string? key = "sk-test-0123456789abcdefghijKEY9", ModelParameters? parameters = null, ModelKind modelKind = ModelKind.Chat) => new()
    {
        Purpose = Purpose.Agents,
        Provider = new ProviderConfig(Guid.NewGuid(), kind, Kind(kind), _upstream.Url + path, "ciphertext", key is null ? null : "mask", true, false, RateLimits.None),
        Model = new ModelDefinition(Guid.NewGuid(), Guid.Empty, model, null, modelKind, true, parameters ?? ModelParameters.None, Pricing.Unknown, null, null),
        ApiKey = key,
        Source = ResolutionSource.Database,
        Reason = "test",
        CatalogVersion = 1,
    };

    private static ProviderKind Kind(string type) => ProviderKinds.TryParse(type, out var kind) ? kind : throw new ArgumentException(type);

    private IChatClient Chat(ResolvedModel resolved) => new ProviderClientCache(ProviderAdapters.Default, _http).ChatClient(resolved);

    [Theory]
    [MemberData(nameof(ChatKinds))]
    public async Task Chat_SendsTheConfiguredModelKeyAndDefaults_AndReadsTheAnswer(string kind, string path)
    {
        var client = Chat(Resolved(kind, path, $"model-{kind}", parameters: new ModelParameters(0.25, 0.5, 321)));

        var response = await client.GetResponseAsync("Say hello", new ChatOptions { ModelId = "caller-asked-for-something-else" });

        Assert.Equal(FakeUpstream.ReplyText($"model-{kind}"), response.Text);
        var sent = _upstream.Last;
        Assert.Equal($"model-{kind}", sent.Model);
        if (kind == "anthropic")
        {
            // The Anthropic SDK has no temperature/top_p; max_tokens is the default that applies.
            Assert.Equal("sk-test-0123456789abcdefghijKEY9", sent.ApiKey);
            Assert.Equal(321, sent.Number("max_tokens"));
        }
        else if (kind != "ollama")
        {
            Assert.Equal("sk-test-0123456789abcdefghijKEY9", sent.ApiKey);
            Assert.Equal(0.25, sent.Number("temperature")!.Value, 3);
            Assert.Equal(0.5, sent.Number("top_p")!.Value, 3);
            Assert.Equal(321, sent.Number("max_completion_tokens") ?? sent.Number("max_tokens"));
            Assert.True(response.Usage?.InputTokenCount > 0, "usage should be read from the provider's answer");
            Assert.Equal(FakeUpstream.ReplyText($"model-{kind}").Split(' ').Length, (int)response.Usage!.OutputTokenCount!);
        }
        else
        {
            Assert.Equal(0.25, sent.Body.GetProperty("options").GetProperty("temperature").GetDouble(), 3);
            Assert.Equal(0.5, sent.Body.GetProperty("options").GetProperty("top_p").GetDouble(), 3);
        }
    }

    [Fact]
    public async Task Mistral_NeverGetsTheFieldsItRefuses_ThoughTheOpenAISdkWritesThem()
    {
        // The OpenAI SDK sends stream_options on every stream and its token limit as max_completion_tokens; Mistral
        // answers both with 422, so they go as max_tokens and not at all.
        var client = Chat(Resolved("mistral", "/v1", "mistral-small-latest", parameters: new ModelParameters(null, null, 321)));

        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            _ = update;
        }

        var sent = _upstream.Last;
        Assert.True(sent.Body.GetProperty("stream").GetBoolean());
        Assert.False(sent.Body.TryGetProperty("stream_options", out _));
        Assert.False(sent.Body.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal(321, sent.Number("max_tokens"));

        // The same client for OpenAI itself keeps the SDK's fields.
        await foreach (var update in Chat(Resolved("openai", "/v1", "gpt-4o-mini", parameters: new ModelParameters(null, null, 321))).GetStreamingResponseAsync("hi"))
        {
            _ = update;
        }

        Assert.True(_upstream.Last.Body.TryGetProperty("stream_options", out _));
        Assert.Equal(321, _upstream.Last.Number("max_completion_tokens"));
    }

    [Fact]
    public void AnOpenAIProtocolProviderWithoutAnAddress_IsRefused_NeverSentToOpenAIsOwn()
    {
        var resolved = new ResolvedModel
        {
            Purpose = Purpose.Chat,
            Provider = new ProviderConfig(Guid.NewGuid(), "no-address", ProviderKind.OpenAICompatible, null, "ciphertext", "mask", true, false, RateLimits.None),
            Model = new ModelDefinition(Guid.NewGuid(), Guid.Empty, "m", null, ModelKind.Chat, true, ModelParameters.None, Pricing.Unknown, null, null),
            ApiKey = "sk-test-0123456789abcdefghijKEY9",
            Source = ResolutionSource.Database,
            Reason = "test",
            CatalogVersion = 1,
        };

        var error = Assert.Throws<ModelgateConfigurationException>(() => Chat(resolved));

        Assert.Contains("'no-address' has no base_url", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ChatKinds))]
    public async Task Chat_CallersExplicitParametersWin(string kind, string path)
    {
        var client = Chat(Resolved(kind, path, "m", parameters: new ModelParameters(0.25, 0.5, 321)));

        await client.GetResponseAsync("hi", new ChatOptions { Temperature = 1.5f, MaxOutputTokens = 77 });

        var sent = _upstream.Last;
        if (kind == "anthropic")
        {
            Assert.Equal(77, sent.Number("max_tokens"));
            return;
        }

        var options = kind == "ollama" ? sent.Body.GetProperty("options") : sent.Body;
        Assert.Equal(1.5, options.GetProperty("temperature").GetDouble(), 3);
        // What the caller left unset still comes from the model.
        Assert.Equal(0.5, options.GetProperty("top_p").GetDouble(), 3);
    }

    [Theory]
    [MemberData(nameof(ChatKinds))]
    public async Task ChatStreaming_ReassemblesTheTextFromTheProvidersStream(string kind, string path)
    {
        var client = Chat(Resolved(kind, path, $"stream-{kind}"));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Say hello"))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 2, "the answer should arrive in several pieces");
        Assert.Equal(FakeUpstream.ReplyText($"stream-{kind}"), updates.ToChatResponse().Text);
    }

    [Theory]
    [InlineData("anthropic", "")]
    [InlineData("openai", "/v1")]
    public async Task Chat_ToolCallFromTheProvider_ReachesTheCallerAsFunctionCall(string kind, string path)
    {
        _upstream.ToolCall = ("get_weather", """{"city":"Paris"}""");
        var client = Chat(Resolved(kind, path, "tools"));
        var tool = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather");

        var response = await client.GetResponseAsync("Weather in Paris?", new ChatOptions { Tools = [tool] });

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.True(_upstream.Last.Body.TryGetProperty("tools", out _));
    }

    [Theory]
    [InlineData("anthropic", "")]
    [InlineData("openai", "/v1")]
    public async Task ChatStreaming_ReportsTheProvidersUsage(string kind, string path)
    {
        var client = Chat(Resolved(kind, path, "usage-model"));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("count my tokens"))
        {
            updates.Add(update);
        }

        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Last().Details;
        Assert.True(usage.InputTokenCount > 0);
        Assert.Equal(FakeUpstream.ReplyText("usage-model").Split(' ').Length, (int)usage.OutputTokenCount!);
    }

    [Theory]
    [InlineData("anthropic", "")]
    [InlineData("openai", "/v1")]
    public async Task ChatStreaming_ToolCallArrivesWhole(string kind, string path)
    {
        _upstream.ToolCall = ("get_weather", """{"city":"Oslo"}""");
        var client = Chat(Resolved(kind, path, "tools"));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Weather in Oslo?", new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city, "get_weather")] }))
        {
            updates.Add(update);
        }

        var call = Assert.Single(updates.ToChatResponse().Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("Oslo", call.Arguments!["city"]!.ToString());
    }

    [Theory]
    [InlineData("openai", "/v1", 429)]
    [InlineData("anthropic", "", 529)]
    public async Task Chat_ProviderError_ReachesTheCallerAsAnExceptionWithTheStatus(string kind, string path, int status)
    {
        _upstream.FailNext(status, kind == "anthropic"
            ? """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""
            : """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");
        var client = Chat(Resolved(kind, path, "m"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hi"));

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.ToString(), StringComparison.Ordinal);
        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData("openai", "/v1")]
    [InlineData("openai-compatible", "/v1")]
    [InlineData("azure-openai", "/openai/v1")]
    [InlineData("ollama", "")]
    public async Task Embeddings_ReturnTheProvidersVectors(string kind, string path)
    {
        var generator = new ProviderClientCache(ProviderAdapters.Default, _http).EmbeddingGenerator(Resolved(kind, path, "embed-model", modelKind: ModelKind.Embedding));

        var embeddings = await generator.GenerateAsync(["alpha", "beta gamma"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(FakeUpstream.VectorFor("beta gamma", 8), embeddings[1].Vector.ToArray());
        Assert.Equal("embed-model", _upstream.Last.Model);
    }

    [Fact]
    public void Embeddings_FromAnthropic_SayTheProviderHasNone()
    {
        var cache = new ProviderClientCache(ProviderAdapters.Default, _http);

        var error = Assert.Throws<ModelgateConfigurationException>(() => cache.EmbeddingGenerator(Resolved("anthropic", "", "claude")));

        Assert.Contains("has no embeddings API", error.Message, StringComparison.Ordinal);
    }
}
