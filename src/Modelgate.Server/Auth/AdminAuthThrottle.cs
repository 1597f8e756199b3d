using System.Net;
using System.Net.Sockets;
using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;

namespace Modelgate.Server.Auth;

/// <summary>
/// Limits failed admin tokens per client address, one count for the console's sign-in and the admin API's bearer
/// header (10 a minute; an IPv6 client's whole /64 counts as one), so the token cannot be guessed at speed. It is
/// counted in the limit counters: shared by the fleet with <c>MODELGATE_REDIS</c>, so N instances still allow 10, not
/// N × 10. Successful authentications do not count. Behind a reverse proxy, enable forwarded headers so the address
/// is the client's.
/// </summary>
internal sealed partial class AdminAuthThrottle(ILimitCounters counters, ILogger<AdminAuthThrottle> logger)
{
    public const int FailuresPerMinute = 10;

    /// <summary>
    /// Counts an attempt from the address before its token is checked (so a burst of guesses at once gets no more than
    /// the limit): how long the address must wait when it has failed too often in the last minute (then no token is
    /// checked; the refusal is logged), or null while it may try. A token that turns out right is given back
    /// (<see cref="SucceededAsync"/>), so only failures stay counted.
    /// </summary>
    public async ValueTask<(TimeSpan? BlockedFor, LimitVerdict? Attempt)> AttemptAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        if (await TakeAsync(address, 1, cancellationToken) is not { } verdict)
        {
            return (null, null);
        }

        if (verdict.Admitted)
        {
            return (null, verdict);
        }

        LogBlocked(logger, address?.ToString() ?? "unknown", FailuresPerMinute);
        return (verdict.RetryAfter, null);
    }

    /// <summary>The attempt's token was right: it does not count as a failure.</summary>
    public async ValueTask SucceededAsync(IPAddress? address, LimitVerdict? attempt)
    {
        if (attempt is not null)
        {
            try
            {
                await attempt.Store.SettleAsync([new LimitSettlement(Bucket(address), 1, 0)], attempt.Segment, "admin-auth");
            }
            catch (LimitCountersUnavailableException)
            {
                // Out of reach now: the attempt stays counted for a minute; FleetLimitCounters has logged the outage.
            }
        }
    }

    private async ValueTask<LimitVerdict?> TakeAsync(IPAddress? address, long amount, CancellationToken cancellationToken)
    {
        try
        {
            return await counters.TakeAsync([new LimitTake(Bucket(address), amount)], "admin-auth", cancellationToken);
        }
        catch (LimitCountersUnavailableException)
        {
            // Shared counters out of reach under the policy reject: the throttle opens rather than locking every
            // administrator out (the token is still checked); FleetLimitCounters has logged the outage.
            return null;
        }
    }

    private static LimitBucket Bucket(IPAddress? address)
    {
        var key = Key(address).ToString();
        return new LimitBucket($"a:{key}:admin-auth", LimitKinds.RequestsPerMinute, LimitScope.Address, $"address {key}",
            FailuresPerMinute, Shadow: false, $"{FailuresPerMinute} failed admin tokens per minute");
    }

    // One count per IPv6 /64 (what one client is given, so it cannot take a fresh address per guess), per IPv4 address.
    private static IPAddress Key(IPAddress? address) => address switch
    {
        null => IPAddress.None,
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4(),
        { AddressFamily: AddressFamily.InterNetworkV6 } => new IPAddress([.. address.GetAddressBytes().AsSpan(0, 8), .. new byte[8]]),
        _ => address,
    };

    [LoggerMessage(EventId = 4130, Level = LogLevel.Warning,
        Message = "An admin authentication from {Address} was refused without checking its token: {Limit} failed admin tokens from this address in the last minute.")]
    private static partial void LogBlocked(ILogger logger, string address, int limit);
}
