using System.Diagnostics;

namespace Modelgate.Core.Usage;

/// <summary>Times one call from its start: to the first byte of its answer, and to its end, in whole milliseconds.</summary>
public sealed class CallClock
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _firstByte;
    private long _ended;

    /// <summary>The first byte of the answer (once; later calls change nothing).</summary>
    public void FirstByte()
    {
        if (_firstByte == 0)
        {
            _firstByte = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The answer is complete (once); until then the latency runs on.</summary>
    public void Ended()
    {
        if (_ended == 0)
        {
            _ended = Stopwatch.GetTimestamp();
        }
    }

    public int LatencyMs => Milliseconds(_ended == 0 ? Stopwatch.GetTimestamp() : _ended);

    public int? FirstByteMs => _firstByte == 0 ? null : Milliseconds(_firstByte);

    private int Milliseconds(long until) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(_started, until).TotalMilliseconds);
}
