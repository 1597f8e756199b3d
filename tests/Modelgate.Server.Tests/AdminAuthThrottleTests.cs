using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Modelgate.Core.Limits;
using Modelgate.Server.Auth;

namespace Modelgate.Server.Tests;

/// <summary>
/// Failed admin tokens per client address, counted in the limit counters: an IPv6 client cannot escape the limit by
/// changing its address within its /64, and counters out of reach block nobody.
/// </summary>
public sealed class AdminAuthThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T12:00:03Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeLogger<AdminAuthThrottle> _logger = new();

    private AdminAuthThrottle Create(ILimitCounters? counters = null) => new(counters ?? new InProcessLimitCounters(_time), _logger);

    // Attempts whose token turned out wrong: they stay counted.
    private static async Task FailAsync(AdminAuthThrottle throttle, string address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await throttle.AttemptAsync(IPAddress.Parse(address), CancellationToken.None);
        }
    }

    // An attempt with the right token: refused while blocked, otherwise given back.
    private static async Task<TimeSpan?> BlockedForAsync(AdminAuthThrottle throttle, string address)
    {
        var (blockedFor, attempt) = await throttle.AttemptAsync(IPAddress.Parse(address), CancellationToken.None);
        await throttle.SucceededAsync(IPAddress.Parse(address), attempt);
        return blockedFor;
    }

    private static async Task<bool> IsBlockedAsync(AdminAuthThrottle throttle, string address) => await BlockedForAsync(throttle, address) is not null;

    [Fact]
    public async Task A_burst_of_guesses_at_once_gets_no_more_tokens_checked_than_the_limit()
    {
        var throttle = Create();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(async () => await throttle.AttemptAsync(IPAddress.Parse("192.0.2.30"), CancellationToken.None))));

        Assert.Equal(AdminAuthThrottle.FailuresPerMinute, attempts.Count(a => a.BlockedFor is null));
    }

    [Fact]
    public async Task Right_tokens_never_count()
    {
        var throttle = Create();
        for (var i = 0; i < 3 * AdminAuthThrottle.FailuresPerMinute; i++)
        {
            Assert.False(await IsBlockedAsync(throttle, "192.0.2.31"));
        }

        await FailAsync(throttle, "192.0.2.31", AdminAuthThrottle.FailuresPerMinute - 1);
        Assert.False(await IsBlockedAsync(throttle, "192.0.2.31"));
    }

    [Fact]
    public async Task Failures_from_one_IPv6_64_share_one_count_and_other_clients_keep_theirs()
    {
        var throttle = Create();
        for (var i = 1; i <= AdminAuthThrottle.FailuresPerMinute; i++)
        {
            await throttle.AttemptAsync(IPAddress.Parse($"2001:db8:1:2::{i:x}"), CancellationToken.None);
        }

        Assert.True(await IsBlockedAsync(throttle, "2001:db8:1:2:ffff::1"));
        Assert.False(await IsBlockedAsync(throttle, "2001:db8:1:3::1"));
        Assert.False(await IsBlockedAsync(throttle, "192.0.2.1"));
    }

    [Fact]
    public async Task An_IPv4_client_seen_through_an_IPv6_socket_is_the_same_client()
    {
        var throttle = Create();
        await FailAsync(throttle, "::ffff:192.0.2.7", AdminAuthThrottle.FailuresPerMinute);

        Assert.True(await IsBlockedAsync(throttle, "192.0.2.7"));
        Assert.False(await IsBlockedAsync(throttle, "192.0.2.8"));
    }

    [Fact]
    public async Task Nine_failures_leave_room_and_the_tenth_blocks_until_the_failures_slide_out_of_the_minute()
    {
        var throttle = Create();
        await FailAsync(throttle, "192.0.2.9", AdminAuthThrottle.FailuresPerMinute - 1);
        Assert.False(await IsBlockedAsync(throttle, "192.0.2.9"));

        await FailAsync(throttle, "192.0.2.9", 1);
        var wait = await BlockedForAsync(throttle, "192.0.2.9");
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(70));

        _time.Advance(wait.Value);
        Assert.False(await IsBlockedAsync(throttle, "192.0.2.9"));
    }

    [Fact]
    public async Task A_blocked_attempt_is_logged_once_at_Warning_with_the_address()
    {
        var throttle = Create();
        await FailAsync(throttle, "198.51.100.4", AdminAuthThrottle.FailuresPerMinute);
        Assert.Empty(_logger.Collector.GetSnapshot());

        Assert.True(await IsBlockedAsync(throttle, "198.51.100.4"));

        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("198.51.100.4", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_shared_counters_are_out_of_reach_nobody_is_blocked_and_nothing_throws()
    {
        var throttle = Create(new UnreachableCounters());
        await FailAsync(throttle, "192.0.2.10", AdminAuthThrottle.FailuresPerMinute * 2);

        Assert.False(await IsBlockedAsync(throttle, "192.0.2.10"));
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    // Shared counters under the policy reject while Redis is down.
    private sealed class UnreachableCounters : ILimitCounters
    {
        public ValueTask<LimitVerdict> TakeAsync(IReadOnlyList<LimitTake> takes, string lease, CancellationToken cancellationToken) =>
            throw new LimitCountersUnavailableException("Redis: RedisConnectionException");

        public ValueTask SettleAsync(IReadOnlyList<LimitSettlement> settlements, long segment, string lease) =>
            throw new LimitCountersUnavailableException("Redis: RedisConnectionException");
    }
}
