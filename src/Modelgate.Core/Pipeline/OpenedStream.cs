using Microsoft.Extensions.AI;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// A streaming chat call started and read up to its first update. A first-byte bound (a timeout, a deadline across
/// retries and fallbacks) applies to that wait only: once the first update is in, the stream lives as long as the
/// caller's token. Until then a failure can still go to another attempt or the next model, since nothing was passed on.
/// </summary>
public sealed class OpenedStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _life;
    private readonly IAsyncEnumerator<ChatResponseUpdate> _updates;
    private bool _firstTaken;

    private OpenedStream(CancellationTokenSource life, IAsyncEnumerator<ChatResponseUpdate> updates, ChatResponseUpdate? first)
    {
        _life = life;
        _updates = updates;
        First = first;
    }

    /// <summary>The first update (null if the provider answered with an empty stream).</summary>
    public ChatResponseUpdate? First { get; }

    /// <summary>Cancels the stream's reads: the caller's token, or whatever the owner decides (an idle timeout, a drain).</summary>
    public CancellationTokenSource Life => _life;

    /// <summary>Starts the call and waits for its first update; <paramref name="firstByte"/> bounds only that wait.</summary>
    public static async ValueTask<OpenedStream> OpenAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken callerGone, CancellationToken firstByte)
    {
        var life = CancellationTokenSource.CreateLinkedTokenSource(callerGone);
        var updates = client.GetStreamingResponseAsync(messages, options, life.Token).GetAsyncEnumerator(life.Token);
        try
        {
            using (firstByte.Register(static state => ((CancellationTokenSource)state!).Cancel(), life))
            {
                var any = await updates.MoveNextAsync();
                return new OpenedStream(life, updates, any ? updates.Current : null);
            }
        }
        catch
        {
            await updates.DisposeAsync();
            life.Dispose();
            throw;
        }
    }

    /// <summary>The next update after the first: false at the stream's end.</summary>
    public ValueTask<bool> MoveNextAsync() => _updates.MoveNextAsync();

    /// <summary>The update <see cref="MoveNextAsync"/> moved to.</summary>
    public ChatResponseUpdate Current => _updates.Current;

    /// <summary>Every update, the first included, with no bound but the caller's token.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> ReadAllAsync()
    {
        if (_firstTaken || First is null)
        {
            yield break;
        }

        _firstTaken = true;
        yield return First;
        while (await _updates.MoveNextAsync())
        {
            yield return _updates.Current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _updates.DisposeAsync();
        _life.Dispose();
    }
}
