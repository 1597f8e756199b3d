using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using OllamaSharp;

namespace Modelgate.Core.Providers.Ollama;

/// <summary>Ollama through OllamaSharp, whose client is both an IChatClient and an embedding generator.</summary>
internal sealed class OllamaAdapter : IProviderAdapter
{
    public const string DefaultBaseUrl = "http://127.0.0.1:11434";

    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) => Create(resolved, handler);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) => Create(resolved, handler);

    public async Task<IReadOnlyList<string>> ListModelsAsync(ProviderConfig provider, string? apiKey, HttpMessageHandler handler, CancellationToken cancellationToken) =>
        [.. (await Create(provider.EffectiveBaseUrl, apiKey, handler, "").ListLocalModelsAsync(cancellationToken)).Select(m => m.Name)];

    private static OllamaApiClient Create(ResolvedModel resolved, HttpMessageHandler handler) =>
        Create(resolved.BaseUrl, resolved.ApiKey, handler, resolved.Model.ModelId);

    private static OllamaApiClient Create(string? baseUrl, string? apiKey, HttpMessageHandler handler, string model)
    {
        // OllamaSharp takes its address from the HttpClient it is given, and drops the body of an error answer: the
        // handler keeps it (and the status) in the exception, so the gateway can say what Ollama said.
        var http = ProviderHttp.Client(new ProviderErrorBodies("Ollama", handler), new Uri(baseUrl ?? DefaultBaseUrl));
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        return new OllamaApiClient(http, model);
    }
}
