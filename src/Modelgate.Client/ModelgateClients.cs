using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Client;

internal sealed class ModelgateClients(ModelResolver resolver, ProviderClientCache cache) : IModelgateClients
{
    private readonly ConcurrentDictionary<string, PurposeChatClient> _chat = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PurposeEmbeddingGenerator> _embeddings = new(StringComparer.Ordinal);

    public IChatClient ChatClient(string purpose) =>
        _chat.GetOrAdd(Parse(purpose, ModelKind.Chat).Name, name => new PurposeChatClient(Parse(name, ModelKind.Chat), resolver, cache));

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(string purpose = Purpose.EmbeddingsName) =>
        _embeddings.GetOrAdd(Parse(purpose, ModelKind.Embedding).Name, name => new PurposeEmbeddingGenerator(Parse(name, ModelKind.Embedding), resolver, cache));

    private static Purpose Parse(string name, ModelKind kind)
    {
        if (!Purpose.TryParse(name, out var purpose, out var error))
        {
            throw new ModelgateConfigurationException(name, error);
        }

        return purpose.RequiredModelKind == kind
            ? purpose
            : throw new ModelgateConfigurationException(name, $"'{name}' is served by {(kind == ModelKind.Chat ? "an embedding generator" : "a chat client")}, not by {(kind == ModelKind.Chat ? "a chat client" : "an embedding generator")}.");
    }
}
