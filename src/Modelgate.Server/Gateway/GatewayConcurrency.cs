namespace Modelgate.Server.Gateway;

/// <summary>
/// At most <see cref="GatewayOptions.MaxConcurrentRequests"/> gateway requests in flight per instance (streams
/// included): past it a caller gets 429 with Retry-After in its own format at once, instead of the instance slowing
/// down for everyone. A counter, not a queue; the admin API is not limited.
/// </summary>
internal sealed class GatewayConcurrency(GatewayOptions options)
{
    private int _inFlight;
    private long _served;

    /// <summary>Gateway requests being served now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gateway requests taken since the start (refused ones not counted).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Runs <paramref name="serve"/> if the instance has room, else answers 429.</summary>
    public async Task ServeAsync(HttpContext context, GatewayFormat format, Func<Task> serve)
    {
        if (Interlocked.Increment(ref _inFlight) > options.MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref _inFlight);
            await GatewayErrors.Write(format, 429, $"This Modelgate instance is serving its limit of {options.MaxConcurrentRequests} requests at once; retry shortly.", code: "gateway_busy", retryAfter: TimeSpan.FromSeconds(1)).ExecuteAsync(context);
            return;
        }

        Interlocked.Increment(ref _served);
        try
        {
            await serve();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
