using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Modelgate.Core.Usage;
using Modelgate.Server.Hosting;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// Counts the tokens of calls whose provider reported none (a cut stream, a caller who left, an answer without usage)
/// and then records them — on one background thread of the lowest priority, never on a request's thread. The work is
/// bounded three ways: each count puts at most <see cref="TokenEstimator.ExactChars"/> characters a part through the
/// tokenizer; one thread does all of it, yielding to requests; and at most <see cref="Capacity"/> calls wait. A call
/// that finds the queue full is counted at once by length alone (no tokenizer), so a flood of such calls costs the
/// server no more than reading their lengths. Metrics: <c>modelgate.usage.token_counting.duration</c> (each count on the
/// counting thread) and <c>modelgate.usage.counted_by_length</c>.
/// </summary>
internal sealed partial class TokenCounting : IHostedService, IDisposable
{
    public const int Capacity = 512;

    private readonly Channel<Action<int>> _queue = Channel.CreateBounded<Action<int>>(new BoundedChannelOptions(Capacity));
    private readonly ILogger<TokenCounting> _logger;
    private readonly Thread _thread;
    private long _byLength;
    private volatile bool _stopping;
    // The call being counted now: a stop that cannot wait for it (the idle-class thread gets no CPU while other
    // processes keep the cores busy) makes its record by length, and the one that hands it over first wins.
    private volatile Action<int>? _current;

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _countedByLength;

    public TokenCounting(ILogger<TokenCounting> logger, IMeterFactory meters)
    {
        _logger = logger;
        var meter = meters.Create(GatewayTelemetry.Name);
        _duration = meter.CreateHistogram("modelgate.usage.token_counting.duration", "ms", "Time the counting thread spent on one call: counting its tokens and handing its record over.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100] });
        _countedByLength = meter.CreateCounter<long>("modelgate.usage.counted_by_length", "{call}", "Calls counted by length alone because too many waited for the tokenizer.");
        _thread = new Thread(Run) { IsBackground = true, Name = "Modelgate token counting" };
    }

    /// <summary>Calls counted by length because the queue was full.</summary>
    public long CountedByLength => Interlocked.Read(ref _byLength);

    /// <summary>
    /// Runs <paramref name="count"/> on the counting thread with the tokenizer budget, or here with a budget of 0
    /// (length only) when the queue is full or stopped.
    /// </summary>
    public void Enqueue(Action<int> count)
    {
        if (_queue.Writer.TryWrite(count))
        {
            return;
        }

        _countedByLength.Add(1);
        if (Interlocked.Increment(ref _byLength) % 1000 == 1)
        {
            LogByLength(_logger, Capacity);
        }

        count(0);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// After the web server has finished its requests: what waits is counted by length, so the records reach the writer
    /// before it stops; so is the call in progress if the thread does not finish it within 5 s (its record is handed
    /// over once, by whichever gets there first: see <see cref="GatewayCall.TryHandOver"/>).
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(5)) && _current is { } starved)
        {
            starved(0);
        }

        while (_queue.Reader.TryRead(out var count))
        {
            count(0);
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private void Run()
    {
        LowPriority.ForCurrentThread();
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var count))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    _current = count;
                    count(_stopping ? 0 : TokenEstimator.ExactChars);
                    _duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e)
                {
                    // A record that cannot be made must not stop the counting of the others.
                    LogFailed(_logger, e.GetType().Name);
                }
                finally
                {
                    _current = null;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Capacity} calls wait for their tokens to be counted: calls are being counted by length alone (marked estimated).")]
    private static partial void LogByLength(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "A call's usage record could not be made after counting its tokens ({Error}).")]
    private static partial void LogFailed(ILogger logger, string error);
}
