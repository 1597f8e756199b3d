using Microsoft.Extensions.Time.Testing;
using Modelgate.Core.Limits;

namespace Modelgate.Core.Tests.Limits;

/// <summary>How counters in process count over time (the shared ones follow the same rules on Redis's clock: Storage tests).</summary>
public sealed class InProcessLimitCountersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

    private ValueTask<LimitVerdict> TakeAsync(InProcessLimitCounters counters, LimitBucket bucket, long amount = 1, string lease = "l") =>
        counters.TakeAsync([new LimitTake(bucket, amount)], lease, CancellationToken.None);

    [Fact]
    public async Task RequestsPerMinute_StayTakenForAMinute_ThenFreeAsTheirSegmentSlidesOut()
    {
        var counters = new InProcessLimitCounters(_time);
        var bucket = Buckets.Requests(3);
        await TakeAsync(counters, bucket);
        _time.Advance(TimeSpan.FromSeconds(20));
        await TakeAsync(counters, bucket);
        await TakeAsync(counters, bucket);

        var refused = await TakeAsync(counters, bucket);
        Assert.Equal(bucket, refused.Refused);
        // The first request's segment leaves the window 60 s after it began: 40 s from now.
        Assert.InRange(refused.RetryAfter.TotalSeconds, 39.9, 40.1);

        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.False((await TakeAsync(counters, bucket)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await TakeAsync(counters, bucket)).Admitted);
        Assert.False((await TakeAsync(counters, bucket)).Admitted);
    }

    [Fact]
    public async Task TokensSettledAfterTheirSegmentSlidOut_ChangeNothing()
    {
        var counters = new InProcessLimitCounters(_time);
        var bucket = Buckets.Tokens(1_000);
        var taken = await TakeAsync(counters, bucket, 800);
        _time.Advance(TimeSpan.FromSeconds(61));

        await counters.SettleAsync([new LimitSettlement(bucket, 800, 5_000)], taken.Segment, "l");

        Assert.True((await TakeAsync(counters, bucket, 1_000)).Admitted);
    }

    [Fact]
    public async Task EachInstanceTakesItsShare_OfARateAndOfRequestsInFlight_ButNotOfABudget()
    {
        var counters = new InProcessLimitCounters(_time, share: () => 3);
        var requests = Buckets.Requests(10);
        var inFlight = Buckets.InFlight(7);
        var budget = Buckets.Budget(100, _time.GetUtcNow().AddDays(1));

        var admitted = 0;
        for (var i = 0; i < 10; i++)
        {
            admitted += (await TakeAsync(counters, requests)).Admitted ? 1 : 0;
        }

        var places = 0;
        for (var i = 0; i < 7; i++)
        {
            places += (await TakeAsync(counters, inFlight, lease: $"l{i}")).Admitted ? 1 : 0;
        }

        Assert.Equal(3, admitted);
        Assert.Equal(2, places);
        Assert.True((await counters.TakeAsync([new LimitTake(budget, 90)], "b", CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task APlaceInFlightNeverGivenBack_IsFreedWhenItsLeaseExpires()
    {
        var counters = new InProcessLimitCounters(_time);
        var inFlight = Buckets.InFlight(1);
        await TakeAsync(counters, inFlight, lease: "lost");

        Assert.False((await TakeAsync(counters, inFlight, lease: "next")).Admitted);
        _time.Advance(InProcessLimitCounters.LeaseLife);
        Assert.True((await TakeAsync(counters, inFlight, lease: "next")).Admitted);
    }

    [Fact]
    public async Task ABudgetRefusal_SaysItHasRoomWhenItsPeriodEnds()
    {
        var counters = new InProcessLimitCounters(_time);
        var end = _time.GetUtcNow().AddHours(5);
        var budget = Buckets.Budget(100, end);

        var refused = await counters.TakeAsync([new LimitTake(budget, 20, Seed: 90)], "b", CancellationToken.None);

        Assert.Equal(budget, refused.Refused);
        Assert.Equal(90, refused.Used);
        Assert.Equal(TimeSpan.FromHours(5), refused.RetryAfter);
    }
}
