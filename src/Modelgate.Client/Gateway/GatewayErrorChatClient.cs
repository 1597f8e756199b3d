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
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception e) when (GatewayFailure.ShouldMap(e))
            {
                throw GatewayFailure.Map(purpose, e);
            }

            yield return updates.Current;
        }
    }
}
