using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers;

/// <summary>
/// Turns a resolution into Microsoft.Extensions.AI clients for one provider kind, using that provider's
/// official SDK. Adapters only translate: no retries (resilience is Modelgate's), no credentials of their own.
/// </summary>
public interface IProviderAdapter
{
    IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler);

    /// <summary>An embedding generator, or null when the provider kind has no embeddings API.</summary>
    IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler);

    /// <summary>
    /// The model names the provider lists for this key: the smallest authenticated call there is (no tokens spent),
    /// used to test a provider's connection.
    /// </summary>
    Task<IReadOnlyList<string>> ListModelsAsync(ProviderConfig provider, string? apiKey, HttpMessageHandler handler, CancellationToken cancellationToken);
}
