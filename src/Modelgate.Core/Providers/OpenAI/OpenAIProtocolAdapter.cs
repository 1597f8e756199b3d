using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>
/// The adapter for every kind that speaks the OpenAI API (OpenAI, Azure's v1 API, compatible servers), through the
/// official OpenAI SDK. Kinds whose key is optional pass a placeholder: the SDK insists on a credential, which servers
/// without authentication ignore.
/// </summary>
internal sealed class OpenAIProtocolAdapter(string keyPlaceholder = "") : IProviderAdapter
{
    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Chat(resolved, handler, keyPlaceholder);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) =>
        OpenAIClients.Embeddings(resolved, handler, keyPlaceholder);

    public async Task<IReadOnlyList<string>> ListModelsAsync(ProviderConfig provider, string? apiKey, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var client = OpenAIClients.Create(provider.Name, provider.Kind, provider.EffectiveBaseUrl, apiKey, handler, keyPlaceholder);
        var models = await client.GetOpenAIModelClient().GetModelsAsync(cancellationToken);
        return [.. models.Value.Select(m => m.Id)];
    }
}
