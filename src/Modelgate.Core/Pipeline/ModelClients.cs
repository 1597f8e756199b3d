using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The clients for one model of a chain, as both entrances call it: the provider's SDK client with the model's default
/// parameters (<see cref="ProviderClientCache"/>), under the per-attempt rules of <see cref="ProviderResilience"/>
/// (limits, retry, circuit breaker, first-byte timeout), made once per SDK client.
/// </summary>
public sealed class ModelClients(ProviderClientCache clients, ProviderResilience resilience, Limiter limiter, ILoggerFactory? loggers = null)
{
    /// <summary>The configured limits, taken per call (<see cref="Limiter.Start"/>).</summary>
    public Limiter Limiter => limiter;

    /// <summary>Where the pipeline's failures are logged (<see cref="PipelineLog"/>).</summary>
    public ILogger Logger { get; } = (loggers ?? NullLoggerFactory.Instance).CreateLogger(PipelineLog.Category);

    /// <summary>The pipeline's time bounds.</summary>
    public PipelineOptions Options => resilience.Options;

    /// <summary>The rules shared with the gateway's pass-through path.</summary>
    public ProviderResilience Resilience => resilience;

    // One guarded client per SDK client: the cache's key (the provider's whole configuration and the model) is all the
    // guard depends on, and it goes when the SDK client does.
    private readonly ConditionalWeakTable<IChatClient, IChatClient> _chat = new();
    private readonly ConditionalWeakTable<IEmbeddingGenerator<string, Embedding<float>>, IEmbeddingGenerator<string, Embedding<float>>> _embeddings = new();

    public IChatClient ChatClient(ResolvedModel model)
    {
        var inner = clients.ChatClient(model);
        return _chat.TryGetValue(inner, out var guarded) ? guarded
            : _chat.GetValue(inner, sdk => new ChatClientBuilder(sdk).UseProviderGuard(model, resilience).Build());
    }

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(ResolvedModel model)
    {
        var inner = clients.EmbeddingGenerator(model);
        return _embeddings.TryGetValue(inner, out var guarded) ? guarded
            : _embeddings.GetValue(inner, sdk => new EmbeddingGeneratorBuilder<string, Embedding<float>>(sdk).UseProviderGuard(model, resilience).Build());
    }

    /// <summary>The SDK client without the pipeline's rules (metadata, <see cref="IChatClient.GetService"/>).</summary>
    public IChatClient Unguarded(ResolvedModel model) => clients.ChatClient(model);

    /// <summary>The SDK generator without the pipeline's rules.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> UnguardedEmbeddings(ResolvedModel model) => clients.EmbeddingGenerator(model);
}
