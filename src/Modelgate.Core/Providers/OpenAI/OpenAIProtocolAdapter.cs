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
}
