using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Storage;
using Modelgate.Storage.Usage;

namespace Modelgate.Benchmarks;

/// <summary>
/// Fills a running server's SQLite database with usage of its models over past days, through the usage writer,
/// for the console benchmark (bench/console/run.sh). Args: console-seed &lt;sqlite connection&gt; &lt;file of "id name"
/// lines&gt; &lt;records&gt; &lt;days&gt;.
/// </summary>
internal static class ConsoleSeed
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new DatabaseOptions(DatabaseKind.Sqlite, args[1]);
        var models = File.ReadAllLines(args[2]).Where(l => l.Length > 0).Select(l => l.Split(' ', 2)).Select(p => (Guid.Parse(p[0]), p[1])).ToList();
        var count = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        var days = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        var contexts = new ModelgateDbContextFactory(options);
        var data = Path.Combine(Path.GetTempPath(), "modelgate-console-seed-" + Guid.NewGuid().ToString("N")[..8]);
        var metrics = new UsageMetrics();
        var writer = new UsageWriter(contexts, new UsageOptions { SpillPath = Path.Combine(data, "spill.jsonl"), QueueCapacity = count + 1 }, metrics,
            new SpendLedger(contexts, TimeProvider.System), TimeProvider.System, NullLogger<UsageWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var span = TimeSpan.FromDays(days);
        foreach (var record in SyntheticUsage.Records(count, models, DateTimeOffset.UtcNow - span, span / count))
        {
            writer.Record(record);
        }

        await writer.FlushAndStopAsync();
        Console.WriteLine($"seeded {metrics.Written:N0} usage records over {days} days for {models.Count} models");
        return metrics.Written == count ? 0 : 1;
    }
}
