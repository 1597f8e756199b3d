using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>An embedding generator for a purpose (normally <c>embeddings</c>) that resolves on every call.</summary>
public sealed class PurposeEmbeddingGenerator(Purpose purpose, ModelResolver resolver, ProviderClientCache clients) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Purpose Purpose { get; } = purpose;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var resolved = resolver.Resolve(Purpose);
        try
        {
            return await clients.EmbeddingGenerator(resolved).GenerateAsync(values, options, cancellationToken);
        }
        catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
        {
            throw ModelgateProviderException.From(resolved, e);
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
