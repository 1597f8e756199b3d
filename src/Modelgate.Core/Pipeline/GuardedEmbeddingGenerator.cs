using Microsoft.Extensions.AI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>One embedding model's generator under the pipeline's per-attempt rules (<see cref="ProviderResilience"/>).</summary>
public sealed class GuardedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ResolvedModel model, ProviderResilience resilience)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values as IReadOnlyCollection<string> ?? [.. values];
        return await resilience.ExecuteAsync(model, async token => await InnerGenerator.GenerateAsync(list, options, token), cancellationToken);
    }
}
