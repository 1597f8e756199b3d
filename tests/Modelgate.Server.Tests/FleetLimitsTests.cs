using System.Net;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing;
using Xunit.Abstractions;

namespace Modelgate.Server.Tests;

/// <summary>
/// Limits hold across a fleet: three instances on one PostgreSQL database count every limit in one Redis, so the fleet
/// together admits what the limit says, not three times as much.
/// </summary>
[Collection(nameof(FleetLimitsCollection))]
public sealed class FleetLimitsTests(ITestOutputHelper output)
{
    // The fake answers every call with these tokens: 5 of prompt, 100 of answer.
    private const int Prompt = 5;
    private const int Completion = 100;

    private static int Count(IEnumerable<HttpResponseMessage> responses, HttpStatusCode status) => responses.Count(r => r.StatusCode == status);

    [Fact]
    public async Task ThreeHundredConcurrentCalls_AgainstALimitOfFifty_AdmitExactlyFifty_AcrossThreeInstances()
    {
        await using var fleet = await LimitFleet.StartAsync(3, TestRedis.Configuration);
        await fleet.ConfigureAsync(new { requests_per_minute = 50 });

        var responses = await fleet.CallAtOnceAsync(300);

        Assert.Equal(50, Count(responses, HttpStatusCode.OK));
        Assert.Equal(250, Count(responses, HttpStatusCode.TooManyRequests));
        Assert.Equal(50, fleet.Upstream.Requests.Count);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("50", refused.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("0", refused.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.EndsWith("s", refused.Headers.GetValues("x-ratelimit-reset-requests").Single(), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 70);
        var error = (await refused.JsonAsync()).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.Str("code"));
        Assert.Contains("is at its limit of 50 requests per minute", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokensPerMinuteLimit_AdmitsNoMoreTokensThanItsValue_AcrossThreeInstances()
    {
        await using var fleet = await LimitFleet.StartAsync(3, TestRedis.Configuration);
        await fleet.ConfigureAsync(new { tokens_per_minute = 10_000 });
        fleet.Upstream.Usage = (Prompt, Completion, 0);

        var responses = await fleet.CallAtOnceAsync(300, maxTokens: Completion);

        var admitted = Count(responses, HttpStatusCode.OK);
        output.WriteLine($"{admitted} calls admitted, {admitted * (Prompt + Completion)} tokens of 10000");
        Assert.InRange(admitted * (Prompt + Completion), 1, 10_000);
        // Each call reserved its prompt and its 100 max tokens (a little over what it used): the limit was filled, not
        // refused wholesale.
        Assert.True(admitted >= 85, $"only {admitted} calls admitted");
        Assert.Equal(admitted, fleet.Upstream.Requests.Count);
        Assert.Equal(300 - admitted, Count(responses, HttpStatusCode.TooManyRequests));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABudget_WithTwoHundredConcurrentCalls_IsNeverExceeded_ByMoreThanTheReservationError(bool callsSayMaxTokens)
    {
        await using var fleet = await LimitFleet.StartAsync(3, TestRedis.Configuration);
        // 1 USD per million tokens: a call costs 105 micro-USD. A call that names no max_tokens reserves the model's
        // default of 60, so it may use 45 tokens more than it reserved: that is the reservation error.
        await fleet.ConfigureAsync(
            new { requests_per_minute = 100_000 },
            new { input_price_per_million = 1m, output_price_per_million = 1m, max_tokens = 60 },
            new { budget_usd = 0.01m, budget_period = "daily" });
        fleet.Upstream.Usage = (Prompt, Completion, 0);

        var responses = await fleet.CallAtOnceAsync(200, maxTokens: callsSayMaxTokens ? Completion : null);

        var admitted = Count(responses, HttpStatusCode.OK);
        var spent = admitted * (Prompt + Completion) / 1_000_000m;
        output.WriteLine($"max_tokens {(callsSayMaxTokens ? "sent" : "not sent")}: {admitted} calls admitted, {spent} USD of 0.01");
        Assert.Equal(200 - admitted, Count(responses, HttpStatusCode.TooManyRequests));
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.Contains("budget", r.Content.ReadAsStringAsync().Result, StringComparison.Ordinal));
        if (callsSayMaxTokens)
        {
            Assert.InRange(spent, 0.009m, 0.01m);
        }
        else
        {
            // Never more over than what the calls in flight used beyond their reservations (45 tokens each, at most 200).
            Assert.InRange(spent, 0.009m, 0.01m + (200 * 45 / 1_000_000m));
        }
    }
}

/// <summary>The fleet tests start three servers each and send hundreds of calls at once: they run one at a time.</summary>
[CollectionDefinition(nameof(FleetLimitsCollection), DisableParallelization = true)]
public sealed class FleetLimitsCollection;
