using Microsoft.Extensions.AI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// One model's chat client under the pipeline's per-attempt rules (<see cref="ProviderResilience"/>): the provider's
/// request and token limits, retries with backoff before the first byte, the model's circuit breaker and the
/// first-byte timeout. A stream is retried only until its first update; after that a failure goes to the caller.
/// The gateway's translated calls and the client library's direct mode use it alike.
/// </summary>
public sealed class GuardedChatClient(IChatClient inner, ResolvedModel model, ProviderResilience resilience) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        return await resilience.ExecuteAsync(model, async token => await InnerClient.GetResponseAsync(list, options, token), cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        await using var stream = await resilience.ExecuteAsync(
            model, token => OpenedStream.OpenAsync(InnerClient, list, options, cancellationToken, token), cancellationToken);
        await foreach (var update in stream.ReadAllAsync())
        {
            yield return update;
        }
    }
}
