using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using OpenAI;

namespace Modelgate.Server.Tests.Support;

/// <summary>The official SDKs pointed at a test server's gateway with a virtual key, without retries of their own.</summary>
public static class GatewaySdks
{
    public static OpenAIClient OpenAI(ModelgateApp app, string key)
    {
        var http = app.CreateClient();
        return new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        });
    }

    public static AnthropicClient Anthropic(ModelgateApp app, string key)
    {
        var http = app.CreateClient();
        return new AnthropicClient { ApiKey = key, BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'), HttpClient = http, MaxRetries = 0 };
    }
}
