using Modelgate.Server.Gateway;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Gives memory back after a burst. The GC keeps the heap a burst made it grow for as long as nothing makes it collect
/// again, and a quiet server allocates next to nothing: without this, an instance that took 5,000 requests at once
/// kept about 80 % more memory than before for as long as it stayed quiet (docs/benchmarks.md). So, once the gateway
/// has been busy and then quiet for two checks in a row (no request in flight, at most a few served) and the GC heap holds more than
/// 64 MB and 32 MB more than the last trim left, one aggressive collection returns the rest to the system — at most once per
/// <see cref="MinInterval"/>, and never under load, where its pause would be felt.
/// </summary>
internal sealed partial class MemoryTrimmer(GatewayConcurrency gateway, TimeProvider time, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(2);
    private const long Slack = 32L * 1024 * 1024;
    private const long Floor = 64L * 1024 * 1024;
    private const int QuietRequests = 20;
    private const long Megabyte = 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var lastServed = gateway.Served;
        var quietBefore = false;
        var lastTrim = DateTimeOffset.MinValue;
        // What the heap came down to at the last trim: it is trimmed again only once it has grown well past that.
        long? settled = null;
        // A trim follows a busy spell: a quiet server whose heap merely creeps back up is left to the GC.
        var busySinceTrim = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var served = gateway.Served;
            var quiet = gateway.InFlight == 0 && served - lastServed <= QuietRequests;
            lastServed = served;
            busySinceTrim |= !quiet;
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            LogChecked(logger, quiet, committed / Megabyte, (settled ?? 0) / Megabyte, Environment.WorkingSet / Megabyte);
            // Well past what it came down to last time: what a busy spell leaves behind.
            if (busySinceTrim && quiet && quietBefore && committed > Math.Max(Floor, (settled ?? 0) + Slack) && time.GetUtcNow() - lastTrim >= MinInterval)
            {
                busySinceTrim = false;
                lastTrim = time.GetUtcNow();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                settled = GC.GetGCMemoryInfo().TotalCommittedBytes;
                LogTrimmed(logger, committed / Megabyte, settled.Value / Megabyte);
            }

            quietBefore = quiet;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Memory check: quiet {Quiet}, GC heap committed {Committed} MB (settled at {Settled} MB), working set {WorkingSet} MB.")]
    private static partial void LogChecked(ILogger logger, bool quiet, long committed, long settled, long workingSet);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quiet after a busy spell: memory given back to the system (GC heap committed {Before} MB, now {After} MB).")]
    private static partial void LogTrimmed(ILogger logger, long before, long after);
}
