using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>OpenAI through the official OpenAI SDK and Microsoft.Extensions.AI.OpenAI; base_url overrides the endpoint.</summary>
internal sealed class OpenAIAdapter : IProviderAdapter
{
    public ProviderKind Kind => ProviderKind.OpenAI;

    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Chat(resolved, handler);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Embeddings(resolved, handler);
}
