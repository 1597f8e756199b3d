using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Usage;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Tests;

/// <summary>Token counting happens on its own thread, never the caller's, and a full queue costs only a length count.</summary>
public sealed class TokenCountingTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private TokenCounting Create() => new(NullLogger<TokenCounting>.Instance, _services.GetRequiredService<IMeterFactory>());

    [Fact]
    public async Task Enqueue_CountsOnTheCountingThread_InTheIdleSchedulingClass_WithTheTokenizerBudget()
    {
        using var counting = Create();
        await counting.StartAsync(CancellationToken.None);
        var done = new TaskCompletionSource<(int Thread, string? Name, int Policy, int Budget)>();

        counting.Enqueue(budget => done.SetResult((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, SchedulingPolicy(), budget)));

        var (thread, name, policy, exactChars) = await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
        Assert.Equal("Modelgate token counting", name);
        Assert.Equal(SchedIdle, policy);
        Assert.NotEqual(SchedIdle, SchedulingPolicy());
        Assert.Equal(TokenEstimator.ExactChars, exactChars);
        await counting.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Enqueue_WhenTheQueueIsFull_CountsByLengthAtOnce_AndAStopCountsWhatWaits()
    {
        using var counting = Create();
        var budgets = new System.Collections.Concurrent.ConcurrentBag<int>();
        for (var i = 0; i < TokenCounting.Capacity; i++)
        {
            counting.Enqueue(budgets.Add);
        }

        Assert.Empty(budgets);
        var inline = -1;
        counting.Enqueue(budget => inline = budget);

        Assert.Equal(0, inline);
        Assert.Equal(1, counting.CountedByLength);
        await counting.StartAsync(CancellationToken.None);
        await counting.StopAsync(CancellationToken.None);
        Assert.Equal(TokenCounting.Capacity, budgets.Count);
    }

    [Fact]
    public async Task AStop_ThatCannotWaitForTheCallInProgress_CountsItByLength_SoItsRecordIsNotLost()
    {
        // The idle-class thread may get no CPU at all while other processes keep the cores busy: a stop does not wait
        // for it past 5 s, and makes the record of the call in progress itself (by length).
        using var counting = Create();
        await counting.StartAsync(CancellationToken.None);
        using var starved = new ManualResetEventSlim();
        var started = new TaskCompletionSource();
        var budgets = new System.Collections.Concurrent.ConcurrentQueue<int>();
        counting.Enqueue(budget =>
        {
            budgets.Enqueue(budget);
            if (budget > 0)
            {
                started.SetResult();
                starved.Wait(TimeSpan.FromSeconds(30));
            }
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await counting.StopAsync(CancellationToken.None);

        Assert.Equal([TokenEstimator.ExactChars, 0], budgets);
        starved.Set();
    }

    public void Dispose() => _services.Dispose();

    private const int SchedIdle = 5;

    /// <summary>The calling thread's scheduling policy: field 41 of <c>/proc/thread-self/stat</c> (the tests run on Linux).</summary>
    private static int SchedulingPolicy()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
