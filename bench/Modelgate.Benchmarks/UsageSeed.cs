using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Storage;
using Modelgate.Storage.Usage;

namespace Modelgate.Benchmarks;

/// <summary>
/// Fills a database with <c>records</c> calls spread evenly over the last <c>days</c> days (ending now) through the
/// real <see cref="UsageWriter"/>, so the hourly and daily rollups are built by the production code in the raw rows'
/// transactions, with the writer's production settings (batch size, linger, journal). The writer is fed as the
/// gateway feeds it, never holding the data set: a record is handed over while fewer than <see cref="MaxQueued"/> wait,
/// else the feeder sleeps a millisecond. Prints records/s committed, from the first record handed over to the last one
/// committed: the writer's throughput with rollups on at about 1,000 series. Run by bench/usage/run-views.sh.
/// Args: usage-seed sqlite|postgres &lt;connection&gt; &lt;records&gt; &lt;days&gt;.
/// </summary>
internal static class UsageSeed
{
    private const int MaxQueued = 50_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 5 || args[1] is not ("sqlite" or "postgres"))
        {
            await Console.Error.WriteLineAsync("usage-seed sqlite|postgres <connection> <records> <days>");
            return 2;
        }

        var kind = args[1] == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite;
        var count = long.Parse(args[3], CultureInfo.InvariantCulture);
        var days = int.Parse(args[4], CultureInfo.InvariantCulture);
        var options = new DatabaseOptions(kind, args[2]);
        var contexts = new ModelgateDbContextFactory(options);
        await new DatabaseInitializer(contexts, options).MigrateAsync(CancellationToken.None);

        var folder = Path.Combine(Path.GetTempPath(), "modelgate-usage-seed-" + Guid.NewGuid().ToString("N")[..8]);
        var metrics = new UsageMetrics();
        var writer = new UsageWriter(contexts, new UsageOptions { SpillPath = Path.Combine(folder, "usage-spill.jsonl") }, metrics,
            new SpendLedger(contexts, TimeProvider.System), TimeProvider.System, NullLogger<UsageWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        var data = new UsageViewsData();
        var to = DateTimeOffset.UtcNow;
        var from = to.AddDays(-days);
        var clock = Stopwatch.StartNew();
        var waits = 0L;
        var nextReport = count / 10;
        long handed = 0;
        // Steady state: from the moment a tenth is committed (the series exist, everything is warm) to the end.
        var tenth = Math.Max(1, count / 10);
        (TimeSpan At, long Written)? steady = null;
        foreach (var record in data.Records(count, from, to))
        {
            while (writer.Queued >= MaxQueued)
            {
                waits++;
                Thread.Sleep(1);
            }

            writer.Record(record);
            if (steady is null && metrics.Written >= tenth)
            {
                steady = (clock.Elapsed, metrics.Written);
            }

            if (++handed == nextReport)
            {
                await Console.Error.WriteLineAsync(
                    $"  {handed:N0} handed over, {metrics.Written:N0} committed, "
                    + $"{metrics.Written / clock.Elapsed.TotalSeconds:N0} records/s so far ({clock.Elapsed.TotalSeconds:F0} s)");
                nextReport += count / 10;
            }
        }

        var handedOver = clock.Elapsed;
        while (metrics.Written + metrics.Spilled + metrics.Dropped < count)
        {
            if (steady is null && metrics.Written >= tenth)
            {
                steady = (clock.Elapsed, metrics.Written);
            }

            await Task.Delay(2);
        }

        var committed = clock.Elapsed;
        var (steadyFrom, steadyWritten) = steady ?? (TimeSpan.Zero, 0);
        await writer.FlushAndStopAsync();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Directory.Delete(folder, recursive: true);

        Console.WriteLine($"database        {kind}");
        Console.WriteLine($"span            {from:yyyy-MM-dd HH:mm:ss} to {to:yyyy-MM-dd HH:mm:ss} UTC ({days} days, {count / (double)days:N0} calls a day)");
        Console.WriteLine($"series          up to {data.Series:N0} ({UsageViewsData.Providers * UsageViewsData.ModelsPerProvider} models x "
            + $"{UsageViewsData.Keys} keys x 2 purposes), statuses 200, 429, 502");
        Console.WriteLine($"records         {count:N0}: written {metrics.Written:N0}, dropped {metrics.Dropped:N0}, spilled {metrics.Spilled:N0}");
        Console.WriteLine($"handed over     {handedOver.TotalSeconds:F1} s (the feeder waited for the queue {waits:N0} times)");
        Console.WriteLine($"committed       {committed.TotalSeconds:F1} s -> {metrics.Written / committed.TotalSeconds:N0} records/s committed "
            + "(first record to last commit, rollups on)");
        var steadySeconds = (committed - steadyFrom).TotalSeconds;
        Console.WriteLine(steadySeconds > 0
            ? $"steady state    {(metrics.Written - steadyWritten) / steadySeconds:N0} records/s committed after the first tenth "
                + $"(committed at {steadyFrom.TotalSeconds:F1} s, creating the series included)"
            : "steady state    n/a (too few records)");
        Console.WriteLine($"seed memory     peak working set {peak / (1024 * 1024):N0} MB");
        return metrics.Written == count ? 0 : 1;
    }
}
