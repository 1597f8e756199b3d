using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers.OpenAICompatible;

/// <summary>Any server speaking the OpenAI API (vLLM, LM Studio, llama.cpp, ...) at its base_url; the key is optional.</summary>
internal sealed class OpenAICompatibleAdapter : IProviderAdapter
{
    // The SDK insists on a credential; servers without authentication ignore it.
    private const string NoKey = "no-key";

    public ProviderKind Kind => ProviderKind.OpenAICompatible;

    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Chat(resolved, handler, NoKey);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Embeddings(resolved, handler, NoKey);
}
