using Anthropic;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Providers.Anthropic;

/// <summary>
/// Anthropic through the official Anthropic SDK's Microsoft.Extensions.AI client. Anthropic has no embeddings API.
/// The SDK (13.x, following the current Messages API) has no temperature or top_p, so of a model's default
/// parameters only max_tokens applies to Anthropic models.
/// </summary>
internal sealed class AnthropicAdapter : IProviderAdapter
{
    /// <summary>Anthropic requires max_tokens; used when neither the caller nor the model sets one.</summary>
    public const int FallbackMaxTokens = 4096;

    public IChatClient CreateChatClient(ResolvedModel resolved, HttpMessageHandler handler) =>
        Create(resolved.BaseUrl, resolved.ApiKey, handler).AsIChatClient(resolved.Model.ModelId, resolved.Parameters.MaxTokens ?? FallbackMaxTokens);

    public IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddingGenerator(ResolvedModel resolved, HttpMessageHandler handler) => null;

    public async Task<IReadOnlyList<string>> ListModelsAsync(ProviderConfig provider, string? apiKey, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        var page = await Create(provider.EffectiveBaseUrl, apiKey, handler).Models.List(cancellationToken: cancellationToken);
        return [.. page.Items.Select(m => m.ID)];
    }

    private static AnthropicClient Create(string? baseUrl, string? apiKey, HttpMessageHandler handler) => new()
    {
        // Always explicit: the SDK would otherwise look for ANTHROPIC_API_KEY itself, a silent fallback Modelgate must not have.
        ApiKey = apiKey ?? "",
        HttpClient = ProviderHttp.Client(handler),
        MaxRetries = 0,
        BaseUrl = AnthropicEndpoint.RootUrl(baseUrl),
    };
}
