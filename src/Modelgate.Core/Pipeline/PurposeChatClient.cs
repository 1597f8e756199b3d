using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// An <see cref="IChatClient"/> for a purpose that resolves on every call, so it is safe to hold for the
/// application's lifetime: an administrator's change applies to the next call. The purpose decides the model;
/// a <see cref="ChatOptions.ModelId"/> set by the caller is replaced by the configured one. With a
/// <see cref="IUsageRecorder"/>, every call (success or failure) is recorded with its tokens and cost.
/// </summary>
public sealed class PurposeChatClient(Purpose purpose, ModelResolver resolver, ProviderClientCache clients, IUsageRecorder? usage = null, TimeProvider? time = null) : IChatClient
{
    public Purpose Purpose { get; } = purpose;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var resolved = resolver.Resolve(Purpose);
        var call = usage is null ? null : new ClientCall(resolved, UsageOperations.Chat, time ?? TimeProvider.System);
        try
        {
            var response = await clients.ChatClient(resolved).GetResponseAsync(messages, options, cancellationToken);
            usage?.Record(call!.Finish(messages.Select(m => m.Text), response.Usage, response.Text, null, streamed: false));
            return response;
        }
        catch (Exception e)
        {
            usage?.Record(call!.Finish(messages.Select(m => m.Text), null, null, e, streamed: false));
            if (ModelgateProviderException.ShouldWrap(e))
            {
                throw ModelgateProviderException.From(resolved, e);
            }

            throw;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var resolved = resolver.Resolve(Purpose);
        var call = usage is null ? null : new ClientCall(resolved, UsageOperations.Chat, time ?? TimeProvider.System);
        Exception? failure = new OperationCanceledException("The caller stopped reading the stream.");
        try
        {
            await using var updates = clients.ChatClient(resolved).GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        failure = null;
                        yield break;
                    }

                    update = updates.Current;
                }
                catch (Exception e)
                {
                    failure = e;
                    if (ModelgateProviderException.ShouldWrap(e))
                    {
                        throw ModelgateProviderException.From(resolved, e);
                    }

                    throw;
                }

                call?.Observe(update);
                yield return update;
            }
        }
        finally
        {
            // Recorded once the stream is over: read to the end, broken off by the provider, or left by the caller.
            usage?.Record(call!.Finish(messages.Select(m => m.Text), null, null, failure, streamed: true));
        }
    }

    /// <summary>Offers <see cref="ChatClientMetadata"/> of what the purpose resolves to now, and this client itself.</summary>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is null && serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType == typeof(ResolvedModel))
        {
            return resolver.Resolve(Purpose);
        }

        return clients.ChatClient(resolver.Resolve(Purpose)).GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        // Holds nothing of its own: the SDK clients belong to the shared cache.
    }
}
