using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Pipeline;

/// <summary>An embedding generator for a purpose (normally <c>embeddings</c>) that resolves on every call.</summary>
public sealed class PurposeEmbeddingGenerator(Purpose purpose, ModelResolver resolver, ProviderClientCache clients, IUsageRecorder? usage = null, TimeProvider? time = null)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    public Purpose Purpose { get; } = purpose;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var resolved = resolver.Resolve(Purpose);
        var call = usage is null ? null : new ClientCall(resolved, UsageOperations.Embeddings, time ?? TimeProvider.System);
        var inputs = values as IReadOnlyCollection<string> ?? [.. values];
        try
        {
            var embeddings = await clients.EmbeddingGenerator(resolved).GenerateAsync(inputs, options, cancellationToken);
            usage?.Record(call!.Finish(inputs, embeddings.Usage, "", null, streamed: false));
            return embeddings;
        }
        catch (Exception e)
        {
            usage?.Record(call!.Finish(inputs, null, null, e, streamed: false));
            if (ModelgateProviderException.ShouldWrap(e))
            {
                throw ModelgateProviderException.From(resolved, e);
            }

            throw;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ResolvedModel) ? resolver.Resolve(Purpose)
        : clients.EmbeddingGenerator(resolver.Resolve(Purpose)).GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // Holds nothing of its own.
    }
}
