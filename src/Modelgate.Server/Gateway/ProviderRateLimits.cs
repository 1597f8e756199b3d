using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// A provider's configured requests_per_minute, enforced in this instance with a sliding window before anything is
/// sent. A refused request is a 429 with Retry-After (or goes to the next fallback). Limiters follow the
/// configuration: a changed limit gets a new window.
/// </summary>
internal sealed class ProviderRateLimits
{
    private readonly ConcurrentDictionary<(Guid Id, string Name, int Limit), RateLimiter> _limiters = new();

    /// <summary>Takes a permit for one request to the provider (every attempt, retries included).</summary>
    /// <exception cref="RequestLimitReachedException">The provider is at its limit.</exception>
    public void Acquire(ResolvedModel target)
    {
        if (TryAcquire(target) is { } wait)
        {
            throw new RequestLimitReachedException(wait);
        }
    }

    // Null when the request may go; otherwise how long to wait.
    private TimeSpan? TryAcquire(ResolvedModel target)
    {
        if (target.Provider.Limits.RequestsPerMinute is not { } limit)
        {
            return null;
        }

        var limiter = _limiters.GetOrAdd((target.Provider.Id, target.Provider.Name, limit), key => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = key.Limit,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = limiter.AttemptAcquire();
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(10);
    }
}

/// <summary>A provider is at its configured request limit; <see cref="Wait"/> says when to try again.</summary>
internal sealed class RequestLimitReachedException(TimeSpan wait) : Exception("The provider is at its configured request limit.")
{
    public TimeSpan Wait { get; } = wait;
}
