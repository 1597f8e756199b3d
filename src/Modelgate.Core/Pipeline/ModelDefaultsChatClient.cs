using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// Applies a model's default temperature, top_p and max_tokens wherever the caller left them unset, and sends
/// the configured model id. The caller's options are cloned, never changed; the caller's explicit values win.
/// </summary>
public sealed class ModelDefaultsChatClient(IChatClient inner, string modelId, ModelParameters defaults) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Apply(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Apply(options), cancellationToken);

    internal ChatOptions Apply(ChatOptions? options)
    {
        var applied = options?.Clone() ?? new ChatOptions();
        applied.ModelId = modelId;
        applied.Temperature ??= (float?)defaults.Temperature;
        applied.TopP ??= (float?)defaults.TopP;
        applied.MaxOutputTokens ??= defaults.MaxTokens;
        return applied;
    }
}
