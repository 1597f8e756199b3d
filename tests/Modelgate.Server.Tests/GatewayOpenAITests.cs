using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;
using OpenAI;
using OpenAI.Chat;

namespace Modelgate.Server.Tests;

/// <summary>The gateway driven by the official OpenAI .NET SDK, forwarding to a fake OpenAI upstream.</summary>
public abstract class GatewayOpenAITests<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : ServerFixture
{
    private const string UpstreamKey = "sk-proj-upstream-secret-0000000000000UPKY";
    private FakeUpstream _upstream = null!;
    private HttpClient Admin => server.Admin;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private async Task<(string Purpose, string ModelId)> ConfigureAsync(string type = "chat", object? parameters = null)
    {
        var provider = await Admin.CreateProviderAsync("openai", apiKey: UpstreamKey, baseUrl: _upstream.Url + "/v1");
        var modelId = Catalog.Unique(type == "chat" ? "gpt" : "embed");
        var body = new Dictionary<string, object?> { ["provider_id"] = provider.Str("id"), ["model_id"] = modelId, ["type"] = type, ["temperature"] = 0.4 };
        await (await Admin.PostJsonAsync("/api/v1/llm-models", body)).ExpectAsync(HttpStatusCode.Created);
        var purpose = type == "chat" ? "agents/" + Catalog.Unique("gw") : "embeddings";
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        return (purpose, modelId);
    }

    private async Task<string> NewKeyAsync(object? body = null) =>
        (await (await Admin.PostJsonAsync("/api/v1/keys", body ?? new { name = Catalog.Unique("caller") })).ExpectAsync(HttpStatusCode.Created)).Str("key");

    private OpenAIClient Sdk(string key)
    {
        var http = server.App.CreateClient();
        return new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        });
    }

    [Fact]
    public async Task ChatCompletion_ForAPurpose_ReachesTheConfiguredModelWithTheProvidersKey()
    {
        var (purpose, modelId) = await ConfigureAsync();
        var key = await NewKeyAsync();

        var completion = (await Sdk(key).GetChatClient(purpose).CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { TopP = 0.9f })).Value;

        Assert.Equal(FakeUpstream.ReplyText(modelId), completion.Content[0].Text);
        Assert.Equal(modelId, completion.Model);
        var sent = _upstream.Last;
        Assert.Equal(modelId, sent.Model);
        Assert.Equal(UpstreamKey, sent.ApiKey);
        Assert.Equal(0.4, sent.Number("temperature")!.Value, 3);
        Assert.Equal(0.9, sent.Number("top_p")!.Value, 3);
        Assert.True(completion.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task StreamingChat_ArrivesInPiecesWithUsage()
    {
        var (purpose, modelId) = await ConfigureAsync();
        var key = await NewKeyAsync();

        var text = new System.Text.StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in Sdk(key).GetChatClient(purpose).CompleteChatStreamingAsync([new UserChatMessage("hello")]))
        {
            updates++;
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage ??= update.Usage;
        }

        Assert.Equal(FakeUpstream.ReplyText(modelId), text.ToString());
        Assert.True(updates > 3);
        Assert.NotNull(usage);
    }

    [Fact]
    public async Task Streaming_ForwardsEachChunkAsItArrives_NotTheWholeAnswerAtTheEnd()
    {
        var (purpose, _) = await ConfigureAsync();
        _upstream.ChunkDelay = TimeSpan.FromMilliseconds(150);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var arrivals = new List<TimeSpan>();

        await foreach (var update in Sdk(await NewKeyAsync()).GetChatClient(purpose).CompleteChatStreamingAsync([new UserChatMessage("hello")]))
        {
            if (update.ContentUpdate.Count > 0)
            {
                arrivals.Add(clock.Elapsed);
            }
        }

        // Six pieces 150 ms apart upstream: the first must reach the caller well before the last.
        Assert.True(arrivals.Count >= 3);
        Assert.True(arrivals[^1] - arrivals[0] > TimeSpan.FromMilliseconds(300), $"pieces arrived at {string.Join(", ", arrivals.Select(a => a.TotalMilliseconds))} ms");
    }

    [Fact]
    public async Task Embeddings_ThroughTheGateway()
    {
        var (_, modelId) = await ConfigureAsync(type: "embedding");
        var key = await NewKeyAsync();

        var embedding = (await Sdk(key).GetEmbeddingClient("embeddings").GenerateEmbeddingAsync("hello world")).Value;

        Assert.Equal(FakeUpstream.VectorFor("hello world", 8), embedding.ToFloats().ToArray());
        Assert.Equal(modelId, _upstream.Last.Model);
        // Chat parameters of the model are not sent to an embeddings endpoint.
        Assert.False(_upstream.Last.Body.TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task Embeddings_OfAnOllamaModel_AreTranslated_FloatAndBase64()
    {
        var provider = await Admin.CreateProviderAsync("ollama", baseUrl: _upstream.Url);
        var modelId = Catalog.Unique("nomic");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, type = "embedding" })).ExpectAsync(HttpStatusCode.Created);
        var key = await NewKeyAsync();
        var client = Sdk(key).GetEmbeddingClient(modelId);

        // The official SDK asks for base64 by default.
        var embeddings = (await client.GenerateEmbeddingsAsync(["hello world", "bye"])).Value;
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var floats = await (await http.PostJsonAsync("/v1/embeddings", new { model = modelId, input = "hello world", encoding_format = "float" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(FakeUpstream.VectorFor("hello world", 8), embeddings[0].ToFloats().ToArray());
        Assert.Equal(FakeUpstream.VectorFor("bye", 8), embeddings[1].ToFloats().ToArray());
        Assert.Equal(2, embeddings.Usage.InputTokenCount);
        Assert.Equal("/api/embed", _upstream.Last.Path);
        Assert.Equal(FakeUpstream.VectorFor("hello world", 8), floats.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        Assert.Equal(modelId, floats.Str("model"));
    }

    [Theory]
    [InlineData("""{"model":"MODEL","input":[1,2,3]}""", "input")]
    [InlineData("""{"model":"MODEL","input":"x","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"MODEL","input":"x","dimensions":0}""", "dimensions")]
    public async Task Embeddings_OfAnOllamaModel_WithInputItCannotTake_AreA400_AndNothingIsSent(string template, string param)
    {
        var provider = await Admin.CreateProviderAsync("ollama", baseUrl: _upstream.Url);
        var modelId = Catalog.Unique("nomic");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, type = "embedding" })).ExpectAsync(HttpStatusCode.Created);
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());

        var response = await http.PostAsync("/v1/embeddings", new StringContent(template.Replace("MODEL", modelId, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        var error = await response.ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(param, error.GetProperty("error").Str("param"));
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task GatewayRequest_IsNotCheckedNorLoggedAsAnAdminSignIn()
    {
        var (purpose, _) = await ConfigureAsync();
        var key = await NewKeyAsync();
        var before = server.App.Logs.GetSnapshot().Count;

        await Sdk(key).GetChatClient(purpose).CompleteChatAsync([new UserChatMessage("hi")]);

        var records = server.App.Logs.GetSnapshot().Skip(before).ToList();
        Assert.DoesNotContain(records, r => r.Category?.Contains("AdminToken", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(records, r => r.Message.Contains("not authenticated", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ExpiredKey_Is401_AndNothingIsSent()
    {
        var (purpose, _) = await ConfigureAsync();
        var expiry = DateTimeOffset.UtcNow.AddSeconds(2);
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("expiring"), expires_at = expiry })).ExpectAsync(HttpStatusCode.Created);
        var chat = Sdk(created.Str("key")).GetChatClient(purpose);
        await chat.CompleteChatAsync([new UserChatMessage("before")]);

        await Task.Delay(expiry - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("after")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("expired", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverTheLimit_Is413_WithOrWithoutContentLength(bool announced)
    {
        var (purpose, _) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());
        var huge = $$"""{"model":"{{purpose}}","messages":[{"role":"user","content":"{{new string('a', 21 * 1024 * 1024)}}"}]}""";
        HttpContent content = announced
            ? new StringContent(huge, System.Text.Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        content.Headers.ContentType = new("application/json");
        if (!announced)
        {
            content.Headers.ContentLength = null;
        }

        var error = await (await http.PostAsync("/v1/chat/completions", content)).ExpectAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("over the gateway's limit", error.GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Theory]
    [InlineData(null, "Missing API key")]
    [InlineData("mg-not-a-real-key", "Invalid API key")]
    public async Task WithoutAValidKey_Is401InOpenAIFormat_AndNothingIsSent(string? key, string message)
    {
        var (purpose, _) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        var response = await http.PostJsonAsync("/v1/chat/completions", new { model = purpose, messages = new[] { new { role = "user", content = "hi" } } });
        var error = await response.ExpectAsync(HttpStatusCode.Unauthorized);

        Assert.StartsWith(message, error.GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Equal("authentication_error", error.GetProperty("error").Str("type"));
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task RevokedKey_Is401()
    {
        var (purpose, _) = await ConfigureAsync();
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("revoked") })).ExpectAsync(HttpStatusCode.Created);
        await (await Admin.PostAsync($"/api/v1/keys/{created.GetProperty("virtual_key").Str("id")}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(created.Str("key")).GetChatClient(purpose).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        Assert.Empty(_upstream.Requests);
    }

    [Theory]
    [InlineData("""{"model":"MODEL","messages":[],"api_base":"http://169.254.169.254/"}""", "api_base")]
    [InlineData("""{"model":"MODEL","messages":[],"extra_body":{"base_url":"http://evil.example/v1"}}""", "extra_body.base_url")]
    [InlineData("""{"model":"MODEL","messages":[],"metadata":[{"api_key":"sk-attacker"}]}""", "metadata[0].api_key")]
    [InlineData("""{"model":"MODEL","messages":[],"extra_body":{"baseURL":"http://evil.example/v1"}}""", "extra_body.baseURL")]
    [InlineData("""{"model":"MODEL","messages":[],"apiKey":"sk-attacker"}""", "apiKey")]
    [InlineData("""{"model":"MODEL","messages":[],"aws_secret_access_key":"x"}""", "aws_secret_access_key")]
    public async Task FieldsThatWouldRedirectTrafficOrCredentials_Are400_AndNothingIsSent(string template, string path)
    {
        var (purpose, _) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());

        var error = await (await http.SendRawAsync(HttpMethod.Post, "/v1/chat/completions", template.Replace("MODEL", purpose, StringComparison.Ordinal))).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains(path, error.GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task DuplicateFields_AreA400_NotA500()
    {
        var (purpose, _) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());

        var error = await (await http.SendRawAsync(HttpMethod.Post, "/v1/chat/completions", $$"""{"model":"{{purpose}}","model":"other","messages":[]}""")).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request_error", error.GetProperty("error").Str("type"));
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task ToolParametersNamedLikeCredentials_AreTheCallersOwn_AndPass()
    {
        var (purpose, _) = await ConfigureAsync();
        var tool = ChatTool.CreateFunctionTool("lookup_org", "Find an organization", BinaryData.FromString("""{"type":"object","properties":{"organization":{"type":"string"},"url":{"type":"string"}}}"""));

        var completion = (await Sdk(await NewKeyAsync()).GetChatClient(purpose).CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Tools = { tool } })).Value;

        Assert.NotNull(completion);
        Assert.Equal("lookup_org", _upstream.Last.Body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task UpstreamNotFound_NamingNoModel_IsA502AboutTheProvidersBaseUrl_NotAnUnknownModel()
    {
        var (purpose, _) = await ConfigureAsync();
        _upstream.FailNext(404, """{"error":{"message":"Not found","type":"invalid_request_error","param":null,"code":null}}""");
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());

        var error = await (await http.PostJsonAsync("/v1/chat/completions", new { model = purpose, messages = new[] { new { role = "user", content = "hi" } } })).ExpectAsync(HttpStatusCode.BadGateway);

        Assert.Contains("base_url", error.GetProperty("error").Str("message"), StringComparison.Ordinal);
        Assert.Equal("upstream_error", error.GetProperty("error").Str("code"));
    }

    [Fact]
    public async Task UpstreamModelNotFound_IsA502QuotingTheProvider_NotAnUnknownModelNorTheBaseUrl()
    {
        var (purpose, modelId) = await ConfigureAsync();
        _upstream.FailNext(404, $$$"""
            {"error":{"message":"The model `{{{modelId}}}` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}
            """);

        var key = await NewKeyAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(key).GetChatClient(purpose).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, error.Status);
        Assert.Contains($"says the model does not exist: The model `{modelId}` does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base_url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_Is404_AndAModelOutsideTheKeysAllowList_Is403()
    {
        var (purpose, _) = await ConfigureAsync();
        var scoped = await NewKeyAsync(new { name = Catalog.Unique("scoped"), allowed_purposes = new[] { "chat" } });

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(scoped).GetChatClient("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        var forbidden = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(scoped).GetChatClient(purpose).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, unknown.Status);
        Assert.Equal(403, forbidden.Status);
        Assert.Empty(_upstream.Requests);
    }

    [Theory]
    [InlineData(500, 502)]
    [InlineData(503, 502)]
    [InlineData(429, 429)]
    [InlineData(408, 504)]
    public async Task UpstreamFailure_BecomesAnOpenAIErrorWithoutTheProvidersKey(int upstreamStatus, int expected)
    {
        var (purpose, _) = await ConfigureAsync();
        _upstream.FailNext(upstreamStatus, "{\"error\":{\"message\":\"boom with " + UpstreamKey + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}", times: 3);
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());

        var response = await http.PostJsonAsync("/v1/chat/completions", new { model = purpose, messages = new[] { new { role = "user", content = "hi" } } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Contains("\"error\"", text, StringComparison.Ordinal);
        if (expected == 429)
        {
            Assert.NotNull(response.Headers.RetryAfter);
        }

        // An upstream that echoes the key must not get it through to the caller.
        Assert.DoesNotContain(UpstreamKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListsPurposesAndConfiguredModels()
    {
        var (purpose, modelId) = await ConfigureAsync();

        var models = (await Sdk(await NewKeyAsync()).GetOpenAIModelClient().GetModelsAsync()).Value.Select(m => m.Id).ToList();

        Assert.Contains(purpose, models);
        Assert.Contains(modelId, models);
    }

    [Fact]
    public async Task Model_IsRetrievedWithTheOfficialSdk_APurposeWithItsSlashToo_AndAnUnknownOneIsA404()
    {
        var (purpose, modelId) = await ConfigureAsync();
        var key = await NewKeyAsync();
        var models = Sdk(key).GetOpenAIModelClient();

        var model = (await models.GetModelAsync(modelId)).Value;
        var agent = (await models.GetModelAsync(purpose)).Value;
        var error = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("no-such-model"));

        Assert.Equal(modelId, model.Id);
        Assert.Equal("openai", model.OwnedBy[..6]);
        Assert.Equal(purpose, agent.Id);
        Assert.Equal("modelgate", agent.OwnedBy);
        Assert.Equal(404, error.Status);
        Assert.Contains("'no-such-model' does not exist", error.Message, StringComparison.Ordinal);
        // Unescaped, as a plain HTTP client sends it, the purpose's slash is a path separator: the same model.
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var raw = await (await http.GetAsync($"/v1/models/{purpose}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((purpose, "model"), (raw.Str("id"), raw.Str("object")));
    }

    [Fact]
    public async Task Response_SaysWhichModelServedIt()
    {
        var (purpose, modelId) = await ConfigureAsync();
        using var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await NewKeyAsync());

        var response = await http.PostJsonAsync("/v1/chat/completions", new { model = purpose, messages = new[] { new { role = "user", content = "hi" } } });

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(modelId, response.Headers.GetValues("x-modelgate-model").Single());
    }
}

public sealed class GatewayOpenAITests_Sqlite(SqliteServer server) : GatewayOpenAITests<SqliteServer>(server);

public sealed class GatewayOpenAITests_Postgres(PostgresServer server) : GatewayOpenAITests<PostgresServer>(server);
