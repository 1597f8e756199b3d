using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Client;

internal sealed class ModelgateClients(
    ModelResolver resolver, ModelClients cache, Core.Usage.IUsageRecorder? usage = null, TimeProvider? time = null, KeyScope? key = null, Core.Experiments.ShadowCalls? shadows = null) : IModelgateClients
{
    private readonly ConcurrentDictionary<string, PurposeChatClient> _chat = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PurposeEmbeddingGenerator> _embeddings = new(StringComparer.Ordinal);

    public IChatClient ChatClient(string purpose) =>
        _chat.GetOrAdd(PurposeNames.Target(purpose, ModelKind.Chat), name => new PurposeChatClient(name, resolver, cache, usage, time, key, shadows));

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(string purpose = Purpose.EmbeddingsName) =>
        _embeddings.GetOrAdd(PurposeNames.Target(purpose, ModelKind.Embedding), name => new PurposeEmbeddingGenerator(name, resolver, cache, usage, time, key));
}
