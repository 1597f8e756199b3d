using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Client;

internal sealed class ModelgateClients(
    ModelResolver resolver, ModelClients cache, Core.Usage.IUsageRecorder? usage = null, TimeProvider? time = null, KeyScope? key = null) : IModelgateClients
{
    private readonly ConcurrentDictionary<string, PurposeChatClient> _chat = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PurposeEmbeddingGenerator> _embeddings = new(StringComparer.Ordinal);

    public IChatClient ChatClient(string purpose) =>
        _chat.GetOrAdd(PurposeNames.Parse(purpose, ModelKind.Chat).Name,
            name => new PurposeChatClient(PurposeNames.Parse(name, ModelKind.Chat), resolver, cache, usage, time, key));

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(string purpose = Purpose.EmbeddingsName) =>
        _embeddings.GetOrAdd(PurposeNames.Parse(purpose, ModelKind.Embedding).Name,
            name => new PurposeEmbeddingGenerator(PurposeNames.Parse(name, ModelKind.Embedding), resolver, cache, usage, time, key));
}
