using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// An embedding generator for a purpose (normally <c>embeddings</c>) that resolves on every call and runs the same
/// pipeline as <see cref="PurposeChatClient"/>: fallback chain, deadline, configured limits, retries, circuit breaker, usage.
/// </summary>
public sealed class PurposeEmbeddingGenerator(string target, ModelResolver resolver, ModelClients models, IUsageRecorder? usage = null, TimeProvider? time = null, KeyScope? key = null)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>A generator for a purpose (normally <c>embeddings</c>).</summary>
    public PurposeEmbeddingGenerator(Purpose purpose, ModelResolver resolver, ModelClients models, IUsageRecorder? usage = null, TimeProvider? time = null, KeyScope? key = null)
        : this(purpose.Name, resolver, models, usage, time, key)
    {
    }

    /// <summary>What the generator calls: <c>embeddings</c> or an alias of an embedding model.</summary>
    public string Target { get; } = target;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var clock = time ?? TimeProvider.System;
        var (keyed, routing) = KeyScope.Route(key, resolver, Target, session: null, clock.GetUtcNow());
        var chain = routing.Chain;
        var call = new ClientCall(chain[0], UsageOperations.Embeddings, clock) { KeyId = keyed?.Id };
        var inputs = values as IReadOnlyCollection<string> ?? [.. values];
        var limits = models.Limiter.Start(keyed, () => TokenEstimator.EstimateInputs(inputs, TokenEstimator.ExactChars / 4).Input, maxOutputTokens: null, answers: false);
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            (embeddings, _) = await FallbackChain.RunAsync(chain, models.Options, (model, token) => models.EmbeddingGenerator(model).GenerateAsync(inputs, options, token), model => call.Model = model, models.Logger, limits, cancellationToken);
        }
        catch (Exception e)
        {
            Finish(call, limits, inputs, null, e, cancellationToken);
            if (ModelgateProviderException.ShouldWrap(e))
            {
                throw PipelineStatus.Wrap(call.Model, e);
            }

            throw;
        }

        Finish(call, limits, inputs, embeddings.Usage, null, cancellationToken);
        return embeddings;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ResolvedModel) ? resolver.ResolveRequested(Target)
        : models.UnguardedEmbeddings(resolver.ResolveRequested(Target)).GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // Holds nothing of its own.
    }

    private void Finish(ClientCall call, CallLimits limits, IReadOnlyCollection<string> inputs, UsageDetails? used, Exception? error, CancellationToken cancellationToken)
    {
        if (usage is null && !limits.Holds)
        {
            limits.End();
            return;
        }

        var record = call.Finish(inputs, used, error is null ? "" : null, error, streamed: false, error is not null && cancellationToken.IsCancellationRequested);
        usage?.Record(record);
        limits.Settle(record.Tokens.Total, record.Cost);
    }
}
