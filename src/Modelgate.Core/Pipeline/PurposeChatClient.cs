using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// An <see cref="IChatClient"/> for a purpose that resolves on every call, so it is safe to hold for the
/// application's lifetime: an administrator's change applies to the next call. The purpose decides the model;
/// a <see cref="ChatOptions.ModelId"/> set by the caller is replaced by the configured one.
/// </summary>
public sealed class PurposeChatClient(Purpose purpose, ModelResolver resolver, ProviderClientCache clients) : IChatClient
{
    public Purpose Purpose { get; } = purpose;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var resolved = resolver.Resolve(Purpose);
        try
        {
            return await clients.ChatClient(resolved).GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
        {
            throw ModelgateProviderException.From(resolved, e);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var resolved = resolver.Resolve(Purpose);
        await using var updates = clients.ChatClient(resolved).GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }

                update = updates.Current;
            }
            catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
            {
                throw ModelgateProviderException.From(resolved, e);
            }

            yield return update;
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
