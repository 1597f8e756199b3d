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
    public async Task RequestsPerMinute_StayTakenForAMinuteAtLeast_ThenFreeAsTheirSegmentSlidesOut()
    {
        var counters = new InProcessLimitCounters(_time);
        var bucket = Buckets.Requests(3);
        await TakeAsync(counters, bucket);
        _time.Advance(TimeSpan.FromSeconds(20));
        await TakeAsync(counters, bucket);
        await TakeAsync(counters, bucket);

        var refused = await TakeAsync(counters, bucket);
        Assert.Equal(bucket, refused.Refused);
        // The first request's segment leaves the window (its segment and the six after it) 70 s after it began: 50 s from now.
        Assert.InRange(refused.RetryAfter.TotalSeconds, 49.9, 50.1);

        _time.Advance(TimeSpan.FromSeconds(49));
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
        _time.Advance(TimeSpan.FromSeconds(71));

        await counters.SettleAsync([new LimitSettlement(bucket, 800, 5_000)], taken.Segment, "l");

        Assert.True((await TakeAsync(counters, bucket, 1_000)).Admitted);
    }

    [Fact]
    public async Task NoSixtySeconds_EverHoldMoreThanTheLimit_WhereverTheyFallAgainstTheSegments()
    {
        var counters = new InProcessLimitCounters(_time);
        var bucket = Buckets.Requests(5);
        // Five at the very end of a segment; then, a second at a time, as many as the window lets through.
        _time.Advance(TimeSpan.FromMilliseconds(9_999));
        var admittedAt = new List<DateTimeOffset>();
        for (var second = 0; second < 200; second++)
        {
            while ((await TakeAsync(counters, bucket)).Admitted)
            {
                admittedAt.Add(_time.GetUtcNow());
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.All(admittedAt, start => Assert.InRange(admittedAt.Count(t => t >= start && t < start.AddSeconds(60)), 1, 5));
        Assert.True(admittedAt.Count >= 10, $"only {admittedAt.Count} admitted in 200 s");
    }

    [Fact]
    public async Task AFlexibleTake_NeedsRoomForItsFloor_AndTakesWhatIsLeft()
    {
        var counters = new InProcessLimitCounters(_time);
        var tokens = Buckets.Tokens(1_000);
        await TakeAsync(counters, tokens, 700);

        var verdict = await counters.TakeAsync([new LimitTake(tokens, 500) { Floor = 100 }], "f", CancellationToken.None);

        Assert.Equal(300, Assert.Single(verdict.Taken));
        Assert.False((await counters.TakeAsync([new LimitTake(tokens, 500) { Floor = 1 }], "g", CancellationToken.None)).Admitted);
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
