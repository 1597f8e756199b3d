using System.Net;
using System.Threading.RateLimiting;

namespace Modelgate.Server.Ui.Security;

/// <summary>Limits sign-in attempts per client address (10 a minute), so the admin token cannot be guessed at speed.</summary>
internal sealed class SignInThrottle : IDisposable
{
    public const int AttemptsPerMinute = 10;

    private readonly PartitionedRateLimiter<IPAddress> _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = AttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAttempt(IPAddress? address)
    {
        using var lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
