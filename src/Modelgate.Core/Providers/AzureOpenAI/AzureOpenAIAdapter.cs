using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers.AzureOpenAI;

/// <summary>
/// Azure OpenAI through its v1 API (<c>https://&lt;resource&gt;.openai.azure.com/openai/v1/</c>), which the official
/// OpenAI SDK speaks directly; the model id is the deployment name.
/// </summary>
internal sealed class AzureOpenAIAdapter : IProviderAdapter
{
    public ProviderKind Kind => ProviderKind.AzureOpenAI;

    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Chat(resolved, handler);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) => OpenAIClients.Embeddings(resolved, handler);
}
