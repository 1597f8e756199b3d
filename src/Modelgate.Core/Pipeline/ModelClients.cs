using Microsoft.Extensions.AI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The clients for one model of a chain, as both entrances call it: the provider's SDK client with the model's default
/// parameters (<see cref="ProviderClientCache"/>), under the per-attempt rules of <see cref="ProviderResilience"/>
/// (limits, retry, circuit breaker, first-byte timeout). Built per call; what they wrap is cached.
/// </summary>
public sealed class ModelClients(ProviderClientCache clients, ProviderResilience resilience)
{
    /// <summary>The pipeline's time bounds.</summary>
    public PipelineOptions Options => resilience.Options;

    /// <summary>The rules shared with the gateway's pass-through path.</summary>
    public ProviderResilience Resilience => resilience;

    public IChatClient ChatClient(ResolvedModel model) =>
        new ChatClientBuilder(clients.ChatClient(model)).UseProviderGuard(model, resilience).Build();

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(ResolvedModel model) =>
        new EmbeddingGeneratorBuilder<string, Embedding<float>>(clients.EmbeddingGenerator(model)).UseProviderGuard(model, resilience).Build();

    /// <summary>The SDK client without the pipeline's rules (metadata, <see cref="IChatClient.GetService"/>).</summary>
    public IChatClient Unguarded(ResolvedModel model) => clients.ChatClient(model);

    /// <summary>The SDK generator without the pipeline's rules.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> UnguardedEmbeddings(ResolvedModel model) => clients.EmbeddingGenerator(model);
}
