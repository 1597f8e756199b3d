using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// A provider's configured requests_per_minute and tokens_per_minute, enforced in this process with sliding windows
/// before anything is sent — for gateway calls and direct-mode calls alike. A refused attempt throws
/// <see cref="ProviderLimitReachedException"/> (the gateway answers 429 with Retry-After, or the next fallback serves).
/// Tokens are counted when a call is over (they are known only then), so a call may take the window over its limit;
/// the next one waits. Limiters follow the configuration: a changed limit gets a new window.
/// </summary>
public sealed class ProviderLimits(TimeProvider time)
{
    private readonly ConcurrentDictionary<(Guid Id, string Name, int Limit), RateLimiter> _limiters = new();
    private readonly ConcurrentDictionary<Guid, TokenWindow> _tokens = new();

    /// <summary>Takes a permit for one request to the provider (every attempt, retries included).</summary>
    /// <exception cref="ProviderLimitReachedException">The provider is at one of its limits.</exception>
    public void Acquire(ResolvedModel target)
    {
        if (target.Provider.Limits.TokensPerMinute is { } tokenLimit && _tokens.TryGetValue(target.Provider.Id, out var window)
            && window.Used() is var (used, freesIn) && used >= tokenLimit)
        {
            throw new ProviderLimitReachedException(target.Provider.Name, freesIn, $"{tokenLimit} tokens per minute");
        }

        if (TryAcquire(target) is { } wait)
        {
            throw new ProviderLimitReachedException(target.Provider.Name, wait, $"{target.Provider.Limits.RequestsPerMinute} requests per minute");
        }
    }

    /// <summary>Counts a finished call's tokens against its provider's tokens_per_minute.</summary>
    public void Spent(ResolvedModel target, long tokens)
    {
        if (target.Provider.Limits.TokensPerMinute is not null && tokens > 0)
        {
            _tokens.GetOrAdd(target.Provider.Id, _ => new TokenWindow(time)).Add(tokens);
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
