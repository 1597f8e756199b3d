using System.Net;
using System.Text.Json;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// A provider's "model not found" reaches the caller as such, quoting the provider (redacted), on the passthrough and
/// on every translated path (the Anthropic and OpenAI SDKs, OllamaSharp); a 404 that names no model is still the
/// provider's address. Either way a 502 (the configuration is the administrator's), and the next fallback may serve.
/// </summary>
public abstract class GatewayUpstreamModelNotFoundTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private const string OpenAINotFound = """{"error":{"message":"The model `MODEL` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}""";
    private const string AnthropicNotFound = """{"type":"error","error":{"type":"not_found_error","message":"model: MODEL"}}""";
    private const string OllamaNotFound = """{"error":"model \"MODEL\" not found, try pulling it first"}""";

    private async Task<string> ModelOfAsync(string kind, string type = "chat")
    {
        var provider = await Admin.CreateProviderAsync(kind, apiKey: kind == "ollama" ? null : "sk-upstream-notfound-0000000000000NF", baseUrl: Upstream.Url + (kind == "openai" ? "/v1" : ""));
        var modelId = Catalog.Unique(type == "chat" ? "chat" : "embed");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, type, max_tokens = 100 })).ExpectAsync(HttpStatusCode.Created);
        return modelId;
    }

    private static object Body(string path, string model) => path == "/v1/embeddings"
        ? new { model, input = "hello" }
        : new { model, max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } };

    private async Task<(HttpResponseMessage Response, JsonElement Error)> CallAsync(string path, string model)
    {
        var (key, _) = await KeyAsync();
        using var http = Caller(key);
        var response = await http.PostJsonAsync(path, Body(path, model));
        return (response, (await response.JsonAsync()).GetProperty("error"));
    }

    [Theory]
    [InlineData("openai", "chat", "/v1/chat/completions", OpenAINotFound, "The model `MODEL` does not exist")]
    [InlineData("openai", "embedding", "/v1/embeddings", OpenAINotFound, "The model `MODEL` does not exist")]
    [InlineData("anthropic", "chat", "/v1/messages", AnthropicNotFound, "model: MODEL")]
    [InlineData("anthropic", "chat", "/v1/chat/completions", AnthropicNotFound, "model: MODEL")]
    [InlineData("openai", "chat", "/v1/messages", OpenAINotFound, "The model `MODEL` does not exist")]
    [InlineData("ollama", "chat", "/v1/chat/completions", OllamaNotFound, "model \"MODEL\" not found, try pulling it first")]
    [InlineData("ollama", "chat", "/v1/messages", OllamaNotFound, "model \"MODEL\" not found, try pulling it first")]
    [InlineData("ollama", "embedding", "/v1/embeddings", OllamaNotFound, "model \"MODEL\" not found, try pulling it first")]
    public async Task ModelNotFound_IsA502SayingSo_QuotingTheProvider_PassedThroughOrTranslated(string kind, string type, string path, string body, string quoted)
    {
        var model = await ModelOfAsync(kind, type);
        Upstream.FailNext(404, body.Replace("MODEL", model, StringComparison.Ordinal));

        var (response, error) = await CallAsync(path, model);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = error.Str("message");
        Assert.Contains("says the model does not exist: " + quoted.Replace("MODEL", model, StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.Contains("model_id", message, StringComparison.Ordinal);
        Assert.DoesNotContain("base_url", message, StringComparison.Ordinal);
        Assert.Single(Upstream.Requests);
    }

    [Theory]
    [InlineData("openai", "/v1/chat/completions", "<html><body><h1>404 Not Found</h1>nginx</body></html>", null)]
    [InlineData("openai", "/v1/chat/completions", """{"error":{"message":"Invalid URL (POST /v1/v1/chat/completions)","type":"invalid_request_error","param":null,"code":null}}""", "Invalid URL (POST /v1/v1/chat/completions)")]
    [InlineData("anthropic", "/v1/messages", """{"type":"error","error":{"type":"not_found_error","message":"Not Found"}}""", "Not Found")]
    [InlineData("ollama", "/v1/chat/completions", "404 page not found", "404 page not found")]
    public async Task NotFound_ThatNamesNoModel_IsStillAboutTheProvidersBaseUrl(string kind, string path, string body, string? quoted)
    {
        var model = await ModelOfAsync(kind);
        Upstream.FailNext(404, body);

        var (response, error) = await CallAsync(path, model);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = error.Str("message");
        Assert.Contains("an administrator should check the provider's base_url", message, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", message, StringComparison.Ordinal);
        if (quoted is not null)
        {
            Assert.Contains(quoted, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ModelNotFound_GoesToTheNextFallback()
    {
        var primary = await ModelOfAsync("openai");
        var fallback = await ModelOfAsync("openai");
        var purpose = "agents/" + Catalog.Unique("nf");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = primary })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/llm-fallbacks/{purpose}", new { model_ids = new[] { fallback } })).ExpectAsync(HttpStatusCode.OK);
        Upstream.FailNext(404, OpenAINotFound.Replace("MODEL", primary, StringComparison.Ordinal));
        var (key, _) = await KeyAsync();
        using var http = Caller(key);

        using var response = await http.PostJsonAsync("/v1/chat/completions", Chat(purpose));

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(fallback, response.Headers.GetValues("x-modelgate-model").Single());
        Assert.Equal([primary, fallback], Upstream.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task OllamasRefusalOfTheRequest_IsA400WithItsMessage_NotAnInternalError()
    {
        var model = await ModelOfAsync("ollama");
        Upstream.FailNext(400, """{"error":"invalid options: num_ctx must be positive"}""");

        var (response, error) = await CallAsync("/v1/chat/completions", model);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid options: num_ctx must be positive", error.Str("message"));
    }
}

public sealed class GatewayUpstreamModelNotFoundTests_Sqlite(SqliteServer server) : GatewayUpstreamModelNotFoundTests<SqliteServer>(server);

public sealed class GatewayUpstreamModelNotFoundTests_Postgres(PostgresServer server) : GatewayUpstreamModelNotFoundTests<PostgresServer>(server);
