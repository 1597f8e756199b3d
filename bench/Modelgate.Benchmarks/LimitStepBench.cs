using System.Diagnostics;
using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Limits;

namespace Modelgate.Benchmarks;

/// <summary>
/// The limits step on its own, as the pipeline runs it for each call (<see cref="CallLimits"/>: one take of five counters —
/// a provider's requests and tokens per minute, a key's requests and tokens per minute and place in flight — then
/// the settlement, sent without waiting as the pipeline does), paced at a fixed rate, counted in Redis or in process.
/// Prints the latency of the take (what a call waits for), for the first second (cold) and the rest (warm).
/// <c>dotnet run -c Release --project bench/Modelgate.Benchmarks -- limit-step redis|in-process [redis configuration] [rate] [seconds]</c>
/// </summary>
public static class LimitStepBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var redis = args.Length > 1 && args[1] == "redis";
        var configuration = args.Length > 2 ? args[2] : "127.0.0.1:6379";
        var rate = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
        var seconds = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 20;
        using var shared = redis ? RedisLimitCounters.Connect(configuration) : null;
        ILimitCounters counters = shared is not null ? shared : new InProcessLimitCounters(TimeProvider.System);
        var limiter = new Limiter(counters, TimeProvider.System);
        var model = Model();
        var key = new VirtualKey(Guid.NewGuid(), "bench", "hash", "mg-bench", [], [], null, null, DateTimeOffset.UtcNow)
        {
            Limits = new RateLimits(100_000_000, 1_000_000_000_000) { ConcurrentRequests = 1_000_000 },
        };

        var takes = new List<(double Ms, double At)>();
        // Paced in 10 ms ticks (rate/100 calls each), so the pacing itself does not take the CPU the calls need.
        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var sent = 0L;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && await ticks.WaitForNextTickAsync())
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                running.Add(Task.Run(async () =>
                {
                    var limits = limiter.Start(key, () => 20, 100);
                    var start = clock.Elapsed;
                    await limits.ReserveAsync(model, CancellationToken.None);
                    var taken = clock.Elapsed;
                    limits.Settle(120, null);
                    lock (takes)
                    {
                        takes.Add(((taken - start).TotalMilliseconds, start.TotalSeconds));
                    }
                }));
            }
        }

        await Task.WhenAll(running);
        Report($"{(redis ? "redis" : "in-process")} take, first second (cold), {rate}/s", takes.Where(t => t.At < 1).Select(t => t.Ms));
        Report($"{(redis ? "redis" : "in-process")} take, after the first second (warm), {rate}/s", takes.Where(t => t.At >= 1).Select(t => t.Ms));
        return 0;
    }

    private static void Report(string what, IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return;
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        Console.WriteLine($"{what}: n={sorted.Length} p50={At(0.50):F3} ms p90={At(0.90):F3} ms p99={At(0.99):F3} ms max={sorted[^1]:F3} ms");
    }

    private static ResolvedModel Model() => new()
    {
        Purpose = Purpose.Chat,
        Provider = new ProviderConfig(
            Guid.NewGuid(), "bench", ProviderKind.OpenAI, "http://127.0.0.1:1/v1", null, null, true, false, new RateLimits(100_000_000, 1_000_000_000_000)),
        Model = new ModelDefinition(Guid.NewGuid(), Guid.Empty, "bench-model", null, ModelKind.Chat, true, ModelParameters.None, Pricing.Unknown, null, null),
        Source = ResolutionSource.Database,
        Reason = "bench",
        CatalogVersion = 1,
    };
}
