using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Modelgate.Client.Gateway;

/// <summary>A chat client on the gateway whose failures are Modelgate's exceptions (see <see cref="GatewayFailure"/>).</summary>
internal sealed class GatewayErrorChatClient(IChatClient inner, string purpose) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception e) when (GatewayFailure.ShouldMap(e))
        {
            throw GatewayFailure.Map(purpose, e);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var finished = false;
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    break;
                }
            }
            catch (Exception e) when (GatewayFailure.ShouldMap(e))
            {
                throw GatewayFailure.Map(purpose, e);
            }

            finished |= updates.Current.FinishReason is not null;
            yield return updates.Current;
        }

        // The gateway ends a stream it could not finish with an error event, which the SDK does not raise: an
        // answer without a finish reason is a cut one.
        if (!finished)
        {
            throw new Core.Resolution.ModelgateProviderException(purpose, null, null, null, $"The Modelgate gateway's stream for '{purpose}' ended without finishing the answer (the provider failed mid-stream).", new InvalidOperationException("stream ended without a finish reason"));
        }
    }
}
