using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Modelgate.Server.Gateway;
using Modelgate.Server.Hosting;

namespace Modelgate.Server.Tests;

/// <summary>Memory goes back after a busy spell, once the gateway is quiet, and never while it serves.</summary>
public sealed class MemoryTrimmerTests
{
    [Fact]
    public async Task QuietAfterABusySpell_GivesMemoryBackOnce()
    {
        var (trimmer, time, logs, gateway) = Create();
        await trimmer.StartAsync(CancellationToken.None);
        var held = Grow();

        // Quiet from the start: nothing to give back, however large the heap (no busy spell came before).
        await TickAsync(time, logs, more: 3);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.StartsWith("Quiet after a busy spell", StringComparison.Ordinal));

        // A busy check (a request in flight), then quiet ones: one trim.
        Assert.True(gateway.TryEnter());
        await TickAsync(time, logs, more: 1);
        gateway.Exit();
        await TickAsync(time, logs, more: 3);

        var trims = logs.GetSnapshot().Where(r => r.Message.StartsWith("Quiet after a busy spell", StringComparison.Ordinal)).ToList();
        Assert.Single(trims);
        Assert.Equal(LogLevel.Information, trims[0].Level);
        GC.KeepAlive(held);
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WhileARequestIsInFlight_NothingIsTrimmed()
    {
        var (trimmer, time, logs, gateway) = Create();
        Assert.True(gateway.TryEnter());
        await trimmer.StartAsync(CancellationToken.None);
        var held = Grow();

        await TickAsync(time, logs, more: 4);

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.StartsWith("Quiet after a busy spell", StringComparison.Ordinal));
        var checks = logs.GetSnapshot().Where(r => r.Message.StartsWith("Memory check", StringComparison.Ordinal)).ToList();
        Assert.True(checks.Count >= 4);
        Assert.All(checks, r => Assert.Contains("quiet False", r.Message, StringComparison.Ordinal));
        gateway.Exit();
        GC.KeepAlive(held);
        await trimmer.StopAsync(CancellationToken.None);
    }

    private static (MemoryTrimmer Trimmer, FakeTimeProvider Time, FakeLogCollector Logs, GatewayConcurrency Gateway) Create()
    {
        var logger = new FakeLogger<MemoryTrimmer>();
        var gateway = new GatewayConcurrency(GatewayOptions.From(new ConfigurationBuilder().Build()));
        var time = new FakeTimeProvider();
        return (new MemoryTrimmer(gateway, time, logger), time, logger.Collector, gateway);
    }

    // 128 MB the GC must commit: well past the 64 MB floor and the 32 MB of room, whatever else the test process holds.
    // The GC reports its figures as of its last collection, as it does after a burst, which makes it collect.
    private static byte[][] Grow()
    {
        byte[][] held = [.. Enumerable.Range(0, 128).Select(_ => new byte[1024 * 1024])];
        GC.Collect();
        return held;
    }

    // Moves the clock a check at a time until that many more checks have run (the service starts its timer on a thread
    // of its own, so a first move can come before the timer exists).
    private static async Task TickAsync(FakeTimeProvider time, FakeLogCollector logs, int more)
    {
        int Done() => logs.GetSnapshot().Count(r => r.Message.StartsWith("Memory check", StringComparison.Ordinal));
        var checks = Done() + more;
        for (var attempt = 0; attempt < 20 && Done() < checks; attempt++)
        {
            var before = Done();
            time.Advance(MemoryTrimmer.Interval);
            for (var wait = 0; wait < 40 && Done() == before; wait++)
            {
                await Task.Delay(25);
            }
        }

        Assert.True(Done() >= checks, $"{Done()} checks ran, not {checks}");
    }
}
