namespace Modelgate.Core.Pipeline;

/// <summary>
/// Tokens used over the last minute, in six 10-second segments. Tokens are only known once a call is over, so
/// they are added afterwards; a provider whose minute is full takes no new call until a segment slides out.
/// </summary>
internal sealed class TokenWindow(TimeProvider time)
{
    private const long SegmentMs = 10_000;
    private readonly long[] _segments = new long[6];
    private readonly Lock _lock = new();
    private long _current;

    public void Add(long tokens)
    {
        lock (_lock)
        {
            Slide();
            _segments[_current % _segments.Length] += tokens;
        }
    }

    /// <summary>Tokens used within the last minute, and when the oldest segment with tokens leaves the window.</summary>
    public (long Used, TimeSpan FreesIn) Used()
    {
        lock (_lock)
        {
            Slide();
            long used = 0;
            var oldest = -1L;
            for (var s = _current - _segments.Length + 1; s <= _current; s++)
            {
                var tokens = s < 0 ? 0 : _segments[s % _segments.Length];
                used += tokens;
                if (oldest < 0 && tokens > 0)
                {
                    oldest = s;
                }
            }

            var frees = oldest < 0 ? 0 : (oldest + _segments.Length) * SegmentMs - time.GetUtcNow().ToUnixTimeMilliseconds();
            return (used, TimeSpan.FromMilliseconds(Math.Max(1_000, frees)));
        }
    }

    // Moves to the segment of now, clearing the ones that slid out of the window.
    private void Slide()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / SegmentMs;
        for (var s = Math.Max(_current + 1, now - _segments.Length + 1); s <= now; s++)
        {
            _segments[s % _segments.Length] = 0;
        }

        _current = Math.Max(_current, now);
    }
}
