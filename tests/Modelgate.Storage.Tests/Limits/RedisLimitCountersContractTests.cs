using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;
using Modelgate.Storage.Limits;
using Modelgate.Testing;

namespace Modelgate.Storage.Tests.Limits;

/// <summary>The contract, counted in the Redis test.sh started (shared by a fleet); and what only a shared counter does.</summary>
public sealed class RedisLimitCountersContractTests : LimitCountersContract, IDisposable
{
    private readonly RedisLimitCounters _redis = RedisLimitCounters.Connect(TestRedis.Configuration);

    protected override ILimitCounters Counters => _redis;

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task TwoConnections_ShareOneCount_AsTwoInstancesWould()
    {
        using var other = RedisLimitCounters.Connect(TestRedis.Configuration);
        var bucket = Bucket(LimitKinds.RequestsPerMinute, 60);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? _redis : other).TakeAsync([new LimitTake(bucket, 1)], $"l{i}", CancellationToken.None))));

        Assert.Equal(60, verdicts.Count(v => v.Admitted));
    }

    [Fact]
    public async Task ABudgetCounter_KeepsItsOwnSpend_UntilItIsToldToStartAgainFromTheDatabase()
    {
        var budget = Bucket(LimitKinds.Budget, 1_000, periodEnd: DateTimeOffset.UtcNow.AddDays(1));
        var first = await TakeAsync("a", new LimitTake(budget, 100, Seed: 0));
        await Counters.SettleAsync([new LimitSettlement(budget, 100, 100)], first.Segment, "a");

        // A later seed is ignored: the shared counter already holds the spend.
        Assert.Equal(100, (await TakeAsync("b", new LimitTake(budget, 2_000, Seed: 700))).Used);
        Assert.Equal(700, (await TakeAsync("b", new LimitTake(budget, 2_000, Seed: 700) { Reseed = true })).Used);
    }

    [Fact]
    public async Task RedisOutOfReach_IsSaidAsSuch_AtOnce()
    {
        await using var own = await PrivateRedis.StartAsync();
        using var counters = RedisLimitCounters.Connect(own.Configuration);
        var bucket = Bucket(LimitKinds.RequestsPerMinute, 5);
        Assert.True((await counters.TakeAsync([new LimitTake(bucket, 1)], "a", CancellationToken.None)).Admitted);

        await own.StopAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<LimitCountersUnavailableException>(async () => await counters.TakeAsync([new LimitTake(bucket, 1)], "b", CancellationToken.None));
        await Assert.ThrowsAsync<LimitCountersUnavailableException>(async () => await counters.SettleAsync([new LimitSettlement(bucket, 1, 1)], 0, "a"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.False(await counters.PingAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
    }
}
