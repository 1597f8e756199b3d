namespace Modelgate.Storage.Usage;

/// <summary>
/// Lets a warning through at most once a minute, from any number of threads: a fault that repeats on every call (a
/// full queue, an unwritable journal) is logged, not turned into a flood.
/// </summary>
internal sealed class LogThrottle
{
    private const long IntervalMs = 60_000;
    private long _last;

    /// <summary>True for the first caller in each minute.</summary>
    public bool Allow()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _last);
        return now - last > IntervalMs && Interlocked.CompareExchange(ref _last, now, last) == last;
    }
}
