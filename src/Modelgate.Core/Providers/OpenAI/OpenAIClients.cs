using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Modelgate.Core.Resolution;
using OpenAI;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>Builds official OpenAI SDK clients for any endpoint that speaks the OpenAI API (OpenAI, Azure v1, compatible servers).</summary>
internal static class OpenAIClients
{
    public static OpenAIClient Create(ResolvedModel resolved, HttpMessageHandler handler, string keyPlaceholder = "") =>
        Create(resolved.BaseUrl, resolved.ApiKey, handler, keyPlaceholder);

    public static OpenAIClient Create(string? baseUrl, string? apiKey, HttpMessageHandler handler, string keyPlaceholder = "")
    {
        var options = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(ProviderHttp.Client(handler)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (baseUrl is not null)
        {
            options.Endpoint = new Uri(baseUrl);
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey ?? keyPlaceholder), options);
    }

    public static IChatClient Chat(ResolvedModel resolved, HttpMessageHandler handler, string keyPlaceholder = "") =>
        Create(resolved, handler, keyPlaceholder).GetChatClient(resolved.Model.ModelId).AsIChatClient();

    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(ResolvedModel resolved, HttpMessageHandler handler, string keyPlaceholder = "") =>
        Create(resolved, handler, keyPlaceholder).GetEmbeddingClient(resolved.Model.ModelId).AsIEmbeddingGenerator(resolved.Model.EmbeddingDimensions);
}
