using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Modelgate.Server.Tests.Support;
using OpenAI;

namespace Modelgate.Server.Tests;

/// <summary>A route the gateway does not serve answers in the caller's wire format, so the SDK shows its message.</summary>
public sealed class GatewayUnknownRouteTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task AnUnknownRoute_ReachesTheOpenAISdkAsA404WithModelgatesMessage()
    {
        var http = server.App.CreateClient();
        var sdk = new OpenAIClient(new ApiKeyCredential("mg-any"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.GetOpenAIFileClient().GetFilesAsync());

        Assert.Equal(404, error.Status);
        Assert.Contains("Modelgate has no route GET /v1/files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKnownRouteWithAnotherMethod_Is405_WithTheMethodItTakes()
    {
        using var response = await server.App.CreateClient().GetAsync("/v1/chat/completions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        var error = (await response.JsonAsync()).GetProperty("error");
        Assert.Equal("method_not_allowed", error.Str("code"));
        Assert.Contains("/v1/chat/completions takes POST, not GET", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownRoute_AnswersAnAnthropicCallerInAnthropicsErrorShape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/messages/batches");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("x-api-key", "mg-any");

        using var response = await server.App.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("error", body.Str("type"));
        Assert.Equal("not_found_error", body.GetProperty("error").Str("type"));
        Assert.Contains("Modelgate has no route GET /v1/messages/batches", body.GetProperty("error").Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetrievingAResponse_IsA404ThatSaysWhatModelgateKeepsResponsesFor()
    {
        var http = server.App.CreateClient();
        var sdk = new OpenAIClient(new ApiKeyCredential("mg-any"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        });

#pragma warning disable OPENAI001 // The OpenAI SDK marks its Responses client as evaluation-only.
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.GetResponsesClient().GetResponseAsync("resp_123"));
#pragma warning restore OPENAI001

        Assert.Equal(404, error.Status);
        Assert.Contains("Modelgate has no route GET /v1/responses/resp_123", error.Message, StringComparison.Ordinal);
        Assert.Contains("previous_response_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUnknownRouteMessage_NamesTheResponsesRoute()
    {
        using var response = await server.App.CreateClient().GetAsync("/v1/assistants");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("POST /v1/responses", (await response.JsonAsync()).GetProperty("error").Str("message"), StringComparison.Ordinal);
    }
}
