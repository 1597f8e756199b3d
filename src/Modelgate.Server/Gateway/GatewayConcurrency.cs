namespace Modelgate.Server.Gateway;

/// <summary>
/// At most <see cref="GatewayOptions.MaxConcurrentRequests"/> gateway requests in flight per instance (streams
/// included): past it a caller gets 429 with Retry-After in its own format at once (<see cref="Steps.ConcurrencyStep"/>),
/// instead of the instance slowing down for everyone. A counter, not a queue; the admin API is not limited.
/// </summary>
internal sealed class GatewayConcurrency(GatewayOptions options)
{
    private int _inFlight;
    private long _served;

    /// <summary>How many requests the instance serves at once at most.</summary>
    public int Limit => options.MaxConcurrentRequests;

    /// <summary>Gateway requests being served now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gateway requests taken since the start (refused ones not counted).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Takes a place for one request, if there is room; a place taken is given back with <see cref="Exit"/>.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) > options.MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        Interlocked.Increment(ref _served);
        return true;
    }

    /// <summary>Gives back the place of a request that is over.</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
