using System.Net;
using System.Threading.RateLimiting;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Limits failed sign-ins per client address (10 a minute; an IPv6 client's whole /64 counts as one), so the admin
/// token cannot be guessed at speed.
/// Successful sign-ins do not count. Behind a reverse proxy, enable forwarded headers so the address is the client's.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    public const int FailuresPerMinute = 10;

    private readonly PartitionedRateLimiter<IPAddress> _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Whether the address has failed too often in the current minute (then no token is even checked).</summary>
    public bool IsBlocked(IPAddress? address) => _failures.GetStatistics(Key(address))?.CurrentAvailablePermits <= 0;

    public void Failed(IPAddress? address)
    {
        using var lease = _failures.AttemptAcquire(Key(address));
    }

    public void Dispose() => _failures.Dispose();

    // One budget per IPv6 /64 (what one client is given, so it cannot take a fresh address per guess), per IPv4 address.
    private static IPAddress Key(IPAddress? address) => address switch
    {
        null => IPAddress.None,
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => new IPAddress([.. address.GetAddressBytes().AsSpan(0, 8), .. new byte[8]]),
        _ => address,
    };
}
