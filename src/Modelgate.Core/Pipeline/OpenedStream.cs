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
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        var wait = new FirstWait(life);
        try
        {
            bool any;
            using (firstByte.Register(static state => ((FirstWait)state!).TimeOut(), wait))
            {
                updates = client.GetStreamingResponseAsync(messages, options, life.Token).GetAsyncEnumerator(life.Token);
                any = await updates.MoveNextAsync();
            }

            // The bound fired after the first update came but before it was taken: the stream was cancelled with it.
            if (!wait.TryOpen())
            {
                throw new OperationCanceledException("No first update within the bound.", firstByte);
            }

            return new OpenedStream(life, updates, any ? updates.Current : null);
        }
        catch
        {
            await CloseAsync(updates, life);
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

    public ValueTask DisposeAsync() => CloseAsync(_updates, _life);

    private static async ValueTask CloseAsync(IAsyncEnumerator<ChatResponseUpdate>? updates, CancellationTokenSource life)
    {
        try
        {
            if (updates is not null)
            {
                await updates.DisposeAsync();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // A stream broken or cancelled on its way out: nothing left to release.
        }
        finally
        {
            life.Dispose();
        }
    }

    // Who wins between the first update and the first-byte bound: once the update is taken the bound no longer
    // cancels anything, and once the bound has cancelled the stream the update is not taken.
    private sealed class FirstWait(CancellationTokenSource life)
    {
        private const int Waiting = 0, Opened = 1, TimedOut = 2;
        private int _state;

        public void TimeOut()
        {
            if (Interlocked.CompareExchange(ref _state, TimedOut, Waiting) == Waiting)
            {
                life.Cancel();
            }
        }

        public bool TryOpen() => Interlocked.CompareExchange(ref _state, Opened, Waiting) == Waiting;
    }
}
