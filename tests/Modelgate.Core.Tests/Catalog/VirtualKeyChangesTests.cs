using Modelgate.Core.Catalog;

namespace Modelgate.Core.Tests.Catalog;

public sealed class VirtualKeyChangesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_LimitsAtTheirBounds_AndEveryLimitInShadowMode_AreAccepted()
    {
        var changes = new VirtualKeyChanges
        {
            RequestsPerMinute = 100_000_000, TokensPerMinute = 1_000_000_000_000L, ConcurrentRequests = 1_000_000,
            ShadowLimits = new[] { "requests_per_minute", "tokens_per_minute", "concurrent_requests", "budget" },
        };

        Assert.True(changes.Validate(creating: false, Now).IsEmpty);
        Assert.True(new VirtualKeyChanges { ConcurrentRequests = 1, ShadowLimits = null }.Validate(creating: false, Now).IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void Validate_ConcurrentRequestsOutside1ToAMillion_NamesTheField(int concurrent) =>
        Assert.Equal(
            [$"concurrent_requests must be a positive whole number up to 1000000, or null for no limit; got {concurrent}"],
            new VirtualKeyChanges { ConcurrentRequests = concurrent }.Validate(creating: false, Now).ToDictionary()["concurrent_requests"]);

    [Fact]
    public void Validate_AnUnknownShadowLimit_NamesItAndListsWhatAKeyMayName() =>
        Assert.Equal(
            ["shadow_limits may name requests_per_minute, tokens_per_minute, concurrent_requests, budget; 'budgets' is not a limit"],
            new VirtualKeyChanges { ShadowLimits = new[] { "budget", "budgets", "budgets" } }.Validate(creating: false, Now).ToDictionary()["shadow_limits"]);
}
