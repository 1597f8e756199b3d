using Microsoft.Extensions.AI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The pipeline's steps as Microsoft.Extensions.AI builder calls. For one model they compose, outermost first:
/// <c>UseProviderGuard</c> (limits → retry → circuit breaker → first-byte timeout) over the provider's client with the
/// model's defaults. Fallback over the chain, the call's deadline and usage recording wrap them
/// (<see cref="PurposeChatClient"/>, and the gateway's dispatch for its entrance).
/// </summary>
public static class PipelineBuilderExtensions
{
    /// <summary>Adds the per-attempt rules of <paramref name="resilience"/> for <paramref name="model"/>.</summary>
    public static ChatClientBuilder UseProviderGuard(this ChatClientBuilder builder, ResolvedModel model, ProviderResilience resilience) =>
        builder.Use(inner => new GuardedChatClient(inner, model, resilience));

    /// <summary>Adds the per-attempt rules of <paramref name="resilience"/> for <paramref name="model"/>.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseProviderGuard(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, ResolvedModel model, ProviderResilience resilience) =>
        builder.Use(inner => new GuardedEmbeddingGenerator(inner, model, resilience));
}
