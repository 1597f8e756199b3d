using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Modelgate.Core.Experiments;

namespace Modelgate.Client.Gateway;

/// <summary>A chat client on the gateway whose failures are Modelgate's exceptions (see <see cref="GatewayFailure"/>).</summary>
internal sealed class GatewayErrorChatClient(IChatClient inner, string purpose) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = WithSession(options);
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
        options = WithSession(options);
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

    // The session an application names (ChatOptions.AdditionalProperties["modelgate_session"], as in direct mode) goes to the
    // gateway as OpenAI's `user` (its end-user field, which the gateway reads as the session and passes on to OpenAI-format
    // providers like any caller's `user`).
    private static ChatOptions? WithSession(ChatOptions? options)
    {
        var named = options?.AdditionalProperties is { } extra && extra.TryGetValue(ModelgateSession.OptionKey, out var value) ? value?.ToString() : null;
        if (ModelgateSession.Clean(named) is not { } session)
        {
            return options;
        }

        var copy = options!.Clone();
        if (copy.AdditionalProperties is { } properties && properties.ContainsKey(ModelgateSession.OptionKey))
        {
            copy.AdditionalProperties = new AdditionalPropertiesDictionary(properties.Where(p => p.Key != ModelgateSession.OptionKey));
        }

        var inner = copy.RawRepresentationFactory;
        copy.RawRepresentationFactory = client =>
        {
            var raw = inner?.Invoke(client) as OpenAI.Chat.ChatCompletionOptions ?? new OpenAI.Chat.ChatCompletionOptions();
            raw.EndUserId ??= session;
            return raw;
        };
        return copy;
    }
}
