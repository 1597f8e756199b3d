using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using OpenAI;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>Builds official OpenAI SDK clients for any endpoint that speaks the OpenAI API (OpenAI, Azure v1, compatible servers).</summary>
internal static class OpenAIClients
{
    public static OpenAIClient Create(ResolvedModel resolved, HttpMessageHandler handler, string keyPlaceholder = "") =>
        Create(resolved.Provider.Name, resolved.Provider.Kind, resolved.BaseUrl, resolved.ApiKey, handler, keyPlaceholder);

    /// <summary>
    /// A client for the provider's address (its base_url, or its kind's): never the SDK's own default, so a provider
    /// stored without an address fails here instead of sending its key to api.openai.com.
    /// </summary>
    public static OpenAIClient Create(string provider, ProviderKind kind, string? baseUrl, string? apiKey, HttpMessageHandler handler, string keyPlaceholder = "")
    {
        var options = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(ProviderHttp.Client(handler)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Endpoint = new Uri(baseUrl ?? throw new ModelgateConfigurationException(provider, $"Provider '{provider}' has no base_url; an administrator should set one.")),
        };
        if (kind.RefusedFields.Count > 0)
        {
            options.AddPolicy(new RefusedFieldsPolicy(kind), PipelinePosition.PerCall);
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey ?? keyPlaceholder), options);
    }

    public static IChatClient Chat(ResolvedModel resolved, HttpMessageHandler handler, string keyPlaceholder = "") =>
        Create(resolved, handler, keyPlaceholder).GetChatClient(resolved.Model.ModelId).AsIChatClient();

    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(ResolvedModel resolved, HttpMessageHandler handler, string keyPlaceholder = "") =>
        Create(resolved, handler, keyPlaceholder).GetEmbeddingClient(resolved.Model.ModelId).AsIEmbeddingGenerator(resolved.Model.EmbeddingDimensions);
}
