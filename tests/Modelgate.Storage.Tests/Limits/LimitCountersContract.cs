using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;

namespace Modelgate.Storage.Tests.Limits;

/// <summary>
/// What every place limits are counted in must do the same way — in process, and on Redis shared by a fleet: all or
/// nothing, exactly the limit under concurrency, reservations settled, budgets from the database's figure, places in
/// flight given back, shadow limits counted but never refusing.
/// </summary>
public abstract class LimitCountersContract
{
    protected abstract ILimitCounters Counters { get; }

    protected static LimitBucket Bucket(LimitKinds kind, long limit, bool shadow = false, DateTimeOffset? periodEnd = null) =>
        new($"test:{Guid.NewGuid():N}", kind, LimitScope.Model, "model 'test'", limit, shadow, $"{limit}") { PeriodEnd = periodEnd };

    protected ValueTask<LimitVerdict> TakeAsync(string lease, params LimitTake[] takes) => Counters.TakeAsync(takes, lease, CancellationToken.None);

    [Fact]
    public async Task ManyConcurrentTakes_AdmitExactlyTheLimit()
    {
        var bucket = Bucket(LimitKinds.RequestsPerMinute, 50);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () => await TakeAsync($"l{i}", new LimitTake(bucket, 1)))));

        Assert.Equal(50, verdicts.Count(v => v.Admitted));
        Assert.All(verdicts.Where(v => !v.Admitted), v => Assert.Equal(50, v.Used));
    }

    [Fact]
    public async Task ATake_IsAllOrNothing()
    {
        var roomy = Bucket(LimitKinds.TokensPerMinute, 100);
        var tight = Bucket(LimitKinds.RequestsPerMinute, 1);
        Assert.True((await TakeAsync("a", new LimitTake(roomy, 10), new LimitTake(tight, 1))).Admitted);

        var refused = await TakeAsync("b", new LimitTake(roomy, 10), new LimitTake(tight, 1));

        Assert.Equal(tight, refused.Refused);
        // The refused take left the roomy counter as it was: 10 used, so 90 more fit and 91 do not.
        Assert.False((await TakeAsync("c", new LimitTake(roomy, 91))).Admitted);
        Assert.True((await TakeAsync("c", new LimitTake(roomy, 90))).Admitted);
    }

    [Fact]
    public async Task ASettlement_ReplacesAReservationByWhatWasUsed()
    {
        var tokens = Bucket(LimitKinds.TokensPerMinute, 1_000);
        var first = await TakeAsync("a", new LimitTake(tokens, 600));
        Assert.False((await TakeAsync("b", new LimitTake(tokens, 600))).Admitted);

        await Counters.SettleAsync([new LimitSettlement(tokens, 600, 100)], first.Segment, "a");

        Assert.True((await TakeAsync("b", new LimitTake(tokens, 600))).Admitted);
        var refused = await TakeAsync("c", new LimitTake(tokens, 301));
        Assert.Equal(700, refused.Used);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(70));
    }

    [Fact]
    public async Task ATakeLargerThanTheLimit_IsRefusedEvenWhenNothingIsUsed()
    {
        var tokens = Bucket(LimitKinds.TokensPerMinute, 1_000);

        var refused = await TakeAsync("a", new LimitTake(tokens, 1_001));

        Assert.Equal(tokens, refused.Refused);
        Assert.Equal(0, refused.Used);
    }

    [Fact]
    public async Task ABudget_StartsFromTheDatabasesFigure_AndCountsTheReservationsInFlight()
    {
        var end = DateTimeOffset.UtcNow.AddHours(3);
        var budget = Bucket(LimitKinds.Budget, 1_000, periodEnd: end);
        var first = await TakeAsync("a", new LimitTake(budget, 50, Seed: 900));

        var refused = await TakeAsync("b", new LimitTake(budget, 60, Seed: 900));
        Assert.Equal(950, refused.Used);
        Assert.InRange(refused.RetryAfter, end - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5), end - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));

        // The call cost 20: its reservation of 50 becomes a spend of 20 (which the database then shows too).
        await Counters.SettleAsync([new LimitSettlement(budget, 50, 20)], first.Segment, "a");
        Assert.True((await TakeAsync("b", new LimitTake(budget, 60, Seed: 920))).Admitted);
        Assert.Equal(980, (await TakeAsync("c", new LimitTake(budget, 21, Seed: 920))).Used);
    }

    [Fact]
    public async Task APlaceInFlight_IsGivenBackByItsLease()
    {
        var inFlight = Bucket(LimitKinds.ConcurrentRequests, 2);
        Assert.True((await TakeAsync("a", new LimitTake(inFlight, 1))).Admitted);
        Assert.True((await TakeAsync("b", new LimitTake(inFlight, 1))).Admitted);
        Assert.False((await TakeAsync("c", new LimitTake(inFlight, 1))).Admitted);

        await Counters.SettleAsync([new LimitSettlement(inFlight, 1, 0)], 0, "a");

        Assert.True((await TakeAsync("c", new LimitTake(inFlight, 1))).Admitted);
        Assert.False((await TakeAsync("d", new LimitTake(inFlight, 1))).Admitted);
    }

    [Fact]
    public async Task AShadowLimit_NeverRefuses_ButSaysWhenItIsGoneOver()
    {
        var shadow = Bucket(LimitKinds.RequestsPerMinute, 1, shadow: true);
        var enforced = Bucket(LimitKinds.RequestsPerMinute, 10);

        var first = await TakeAsync("a", new LimitTake(shadow, 1), new LimitTake(enforced, 1));
        var second = await TakeAsync("b", new LimitTake(shadow, 1), new LimitTake(enforced, 1));

        Assert.True(first.Admitted);
        Assert.Empty(first.OverInShadow);
        Assert.True(second.Admitted);
        Assert.Equal(shadow, Assert.Single(second.OverInShadow));
    }

    [Fact]
    public async Task AFlexibleTake_NeedsRoomForItsFloor_TakesWhatIsLeft_AndSettlesWhatItTook()
    {
        var tokens = Bucket(LimitKinds.TokensPerMinute, 1_000);
        await TakeAsync("a", new LimitTake(tokens, 700));

        var flexible = await TakeAsync("b", new LimitTake(tokens, 4_000) { Floor = 50 });
        Assert.Equal(300, Assert.Single(flexible.Taken));
        Assert.False((await TakeAsync("c", new LimitTake(tokens, 10) { Floor = 1 })).Admitted);

        await Counters.SettleAsync([new LimitSettlement(tokens, 300, 100)], flexible.Segment, "b");
        Assert.Equal(200, Assert.Single((await TakeAsync("c", new LimitTake(tokens, 4_000) { Floor = 1 })).Taken));
    }

    [Fact]
    public async Task ABudgetSettlementSentTwice_CountsOnce()
    {
        var budget = Bucket(LimitKinds.Budget, 1_000, periodEnd: DateTimeOffset.UtcNow.AddHours(3));
        var taken = await TakeAsync("a", new LimitTake(budget, 100, Seed: 0));

        await Counters.SettleAsync([new LimitSettlement(budget, 100, 40)], taken.Segment, "a");
        await Counters.SettleAsync([new LimitSettlement(budget, 100, 40)], taken.Segment, "a");

        Assert.Equal(40, (await TakeAsync("b", new LimitTake(budget, 2_000, Seed: 40))).Used);
    }

    [Fact]
    public async Task AnEmptyTake_AsksForAnyRoomAtAll()
    {
        var failures = Bucket(LimitKinds.RequestsPerMinute, 2);
        Assert.True((await TakeAsync("a", new LimitTake(failures, 0))).Admitted);
        await TakeAsync("a", new LimitTake(failures, 1));
        Assert.True((await TakeAsync("a", new LimitTake(failures, 0))).Admitted);
        await TakeAsync("a", new LimitTake(failures, 1));

        Assert.False((await TakeAsync("a", new LimitTake(failures, 0))).Admitted);
    }
}
