using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>The adapter for every kind that speaks the OpenAI API; the kinds differ only in name and key handling.</summary>
internal abstract class OpenAIProtocolAdapter(ProviderKind kind, string keyPlaceholder = "") : IProviderAdapter
{
    public ProviderKind Kind { get; } = kind;

    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Chat(resolved, handler, keyPlaceholder);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) =>
        OpenAIClients.Embeddings(resolved, handler, keyPlaceholder);

    public async Task<IReadOnlyList<string>> ListModelsAsync(ProviderConfig provider, string? apiKey, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var models = await OpenAIClients.Create(provider.BaseUrl, apiKey, handler, keyPlaceholder).GetOpenAIModelClient().GetModelsAsync(cancellationToken);
        return [.. models.Value.Select(m => m.Id)];
    }
}
