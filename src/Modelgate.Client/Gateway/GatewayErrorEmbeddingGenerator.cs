using Microsoft.Extensions.AI;

namespace Modelgate.Client.Gateway;

/// <summary>An embedding generator on the gateway whose failures are Modelgate's exceptions (see <see cref="GatewayFailure"/>).</summary>
internal sealed class GatewayErrorEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string purpose)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GenerateAsync(values, options, cancellationToken);
        }
        catch (Exception e) when (GatewayFailure.ShouldMap(e))
        {
            throw GatewayFailure.Map(purpose, e);
        }
    }
}
