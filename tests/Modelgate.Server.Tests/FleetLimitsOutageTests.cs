using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing;

namespace Modelgate.Server.Tests;

/// <summary>
/// Redis stopped in the middle of a run: each policy of MODELGATE_LIMITS_WITHOUT_REDIS does what it says, nothing
/// fails with a 500, /health says the limits are degraded, and when Redis is back the fleet counts in it again.
/// </summary>
[Collection(nameof(FleetLimitsCollection))]
public sealed class FleetLimitsOutageTests
{
    private static int Count(IEnumerable<HttpResponseMessage> responses, HttpStatusCode status) => responses.Count(r => r.StatusCode == status);

    [Theory]
    [InlineData("local")]
    [InlineData("allow")]
    [InlineData("reject")]
    public async Task RedisStoppedMidRun_EachPolicyBehavesAsDocumented_AndSharedCountingResumesWhenItIsBack(string policy)
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var fleet = await LimitFleet.StartAsync(2, redis.Configuration, policy);
        await fleet.ConfigureAsync(new { requests_per_minute = 10 });
        await LimitFleet.WaitUntilAsync(() => fleet.Apps.All(a => a.Services.GetRequiredService<Storage.Catalog.InstanceRegistry>().LiveInstances == 2), "both instances see each other");
        Assert.Equal(6, Count(await fleet.CallAtOnceAsync(6), HttpStatusCode.OK));

        await redis.StopAsync();
        var without = await fleet.CallAtOnceAsync(20);

        Assert.DoesNotContain(without, r => (int)r.StatusCode >= 500 && r.StatusCode != HttpStatusCode.ServiceUnavailable);
        switch (policy)
        {
            case "local":
                // Each of the two instances enforces its share, 10 ÷ 2, in process.
                Assert.Equal(10, Count(without, HttpStatusCode.OK));
                Assert.Equal(10, Count(without, HttpStatusCode.TooManyRequests));
                break;
            case "allow":
                Assert.Equal(20, Count(without, HttpStatusCode.OK));
                break;
            default:
                Assert.Equal(20, Count(without, HttpStatusCode.ServiceUnavailable));
                Assert.Equal("limits_unavailable", (await without[0].JsonAsync()).GetProperty("error").Str("code"));
                break;
        }

        var health = await fleet.Admin.GetAsync("/health");
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        var metrics = await (await fleet.Admin.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains($"modelgate_limits_unshared_decisions_total{{otel_scope_name=\"Modelgate.Limits\",policy=\"{policy}\"}}", metrics, StringComparison.Ordinal);
        foreach (var app in fleet.Apps)
        {
            Assert.Single(app.Logs.GetSnapshot(), r => r.Message.StartsWith("Shared limit counters out of reach", StringComparison.Ordinal));
        }

        // Redis is back, empty (as a restarted cache is): the fleet counts in it again, 10 for both instances together.
        await redis.StartAgainAsync();
        await LimitFleet.WaitUntilAsync(() => fleet.Admin.GetAsync("/health").Result.Content.ReadAsStringAsync().Result == "Healthy", "/health sees Redis again");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var back = await fleet.CallAtOnceAsync(15);

        Assert.Equal(10, Count(back, HttpStatusCode.OK));
        Assert.Equal(5, Count(back, HttpStatusCode.TooManyRequests));
    }
}
