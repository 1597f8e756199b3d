using System.Net;
using Modelgate.Server.Ui.Security;

namespace Modelgate.Server.Tests;

/// <summary>Failed console sign-ins per client: an IPv6 client cannot escape the limit by changing its address within its /64.</summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public void Failures_from_one_IPv6_64_share_one_budget_and_other_clients_keep_theirs()
    {
        using var throttle = new SignInThrottle();
        for (var i = 1; i <= SignInThrottle.FailuresPerMinute; i++)
        {
            throttle.Failed(IPAddress.Parse($"2001:db8:1:2::{i:x}"));
        }

        Assert.True(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:2:ffff::1")));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("192.0.2.1")));
    }

    [Fact]
    public void An_IPv4_client_seen_through_an_IPv6_socket_is_the_same_client()
    {
        using var throttle = new SignInThrottle();
        for (var i = 0; i < SignInThrottle.FailuresPerMinute; i++)
        {
            throttle.Failed(IPAddress.Parse("::ffff:192.0.2.7"));
        }

        Assert.True(throttle.IsBlocked(IPAddress.Parse("192.0.2.7")));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("192.0.2.8")));
    }
}
