using System.Collections.Concurrent;
using Modelgate.Core.Resolution;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Per provider, Polly pipelines for calls made before the first byte reaches the caller: bounded retries with
/// exponential backoff and jitter on connection failures, 429 and 5xx, inside a circuit breaker that stops sending
/// to a provider that keeps failing (its requests then go straight to the next fallback). Each attempt must produce
/// its first byte (response headers) within the first-byte timeout.
/// </summary>
internal sealed class ProviderResilience(TimeProvider time, GatewayOptions options, ProviderRateLimits limits)
{
    public const int MaxRetries = 2;
    private readonly ConcurrentDictionary<(Guid Id, string Name, string? BaseUrl), (ResiliencePipeline<HttpResponseMessage> Retry, ResiliencePipeline<HttpResponseMessage> Guard)> _http = new();
    private readonly ConcurrentDictionary<(Guid Id, string Name, string? BaseUrl), (ResiliencePipeline Retry, ResiliencePipeline Guard)> _sdk = new();

    /// <summary>Statuses worth another attempt at the same provider.</summary>
    public static bool IsRetryable(int status) => status is 408 or 429 or >= 500;

    /// <summary>
    /// Statuses that say the provider cannot serve the request (retryable ones, and the provider's own configuration:
    /// a redirect, a refused key, a missing endpoint): the next model of the chain is tried.
    /// </summary>
    public static bool IsProviderFault(int status) => IsRetryable(status) || status is (>= 300 and < 400) or 401 or 403 or 404;

    /// <summary>
    /// Sends a request built afresh for each attempt; every attempt takes a permit of the provider's request limit
    /// before it reaches the circuit breaker (a refusal is not an outcome of the provider's). Throws
    /// <see cref="BrokenCircuitException"/> while the provider's circuit is open and
    /// <see cref="RequestLimitReachedException"/> when an attempt finds the provider at its limit.
    /// </summary>
    public ValueTask<HttpResponseMessage> SendAsync(ResolvedModel target, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var (retry, guard) = _http.GetOrAdd(Key(target), _ => BuildHttp());
        return retry.ExecuteAsync(async token =>
        {
            limits.Acquire(target);
            return await guard.ExecuteAsync(async inner => await send(inner), token);
        }, cancellationToken);
    }

    /// <summary>Runs an SDK call (translated requests) under the provider's request limit, retry and circuit breaker.</summary>
    public ValueTask<T> ExecuteAsync<T>(ResolvedModel target, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var (retry, guard) = _sdk.GetOrAdd(Key(target), _ => BuildSdk());
        return retry.ExecuteAsync(token =>
        {
            limits.Acquire(target);
            return guard.ExecuteAsync(call, token);
        }, cancellationToken);
    }

    private static (Guid Id, string Name, string? BaseUrl) Key(ResolvedModel target) => (target.Provider.Id, target.Provider.Name, target.BaseUrl);

    private (ResiliencePipeline<HttpResponseMessage> Retry, ResiliencePipeline<HttpResponseMessage> Guard) BuildHttp()
    {
        var handle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().Handle<Polly.Timeout.TimeoutRejectedException>().HandleResult(r => IsRetryable((int)r.StatusCode));
        var retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        var guard = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                FailureRatio = 0.5,
                MinimumThroughput = 6,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddTimeout(options.FirstByteTimeout)
            .Build();
        return (retry, guard);
    }

    private (ResiliencePipeline Retry, ResiliencePipeline Guard) BuildSdk()
    {
        // An open circuit is not retried: the request goes to the next model at once.
        var handle = new PredicateBuilder().Handle<Exception>(e => e is not (RequestLimitReachedException or BrokenCircuitException) && ModelgateProviderException.ShouldWrap(e)
            && (ModelgateProviderException.StatusOf(e) is not { } status || IsRetryable(status)));
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions { ShouldHandle = handle, MaxRetryAttempts = MaxRetries, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(100) })
            .Build();
        var guard = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { ShouldHandle = handle, FailureRatio = 0.5, MinimumThroughput = 6, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(15) })
            .AddTimeout(options.FirstByteTimeout)
            .Build();
        return (retry, guard);
    }
}
