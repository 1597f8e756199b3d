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
    /// <summary>The providers' configured request limits, checked before each model is tried.</summary>
    public ProviderRateLimits Limits { get; } = limits;

    public const int MaxRetries = 2;
    private readonly ConcurrentDictionary<(Guid Id, string Name, string? BaseUrl), ResiliencePipeline<HttpResponseMessage>> _http = new();
    private readonly ConcurrentDictionary<(Guid Id, string Name, string? BaseUrl), ResiliencePipeline> _sdk = new();

    public static bool IsRetryable(int status) => status is 408 or 429 or >= 500;

    /// <summary>
    /// Sends a request built afresh for each attempt; every attempt takes a permit of the provider's request limit.
    /// Throws <see cref="BrokenCircuitException"/> while the provider's circuit is open and
    /// <see cref="RequestLimitReachedException"/> when an attempt finds the provider at its limit.
    /// </summary>
    public ValueTask<HttpResponseMessage> SendAsync(ResolvedModel target, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken) =>
        _http.GetOrAdd(Key(target), _ => BuildHttp()).ExecuteAsync(async token =>
        {
            Limits.Acquire(target);
            return await send(token);
        }, cancellationToken);

    /// <summary>Runs an SDK call (translated requests) under the provider's request limit, retry and circuit breaker.</summary>
    public ValueTask<T> ExecuteAsync<T>(ResolvedModel target, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken) =>
        _sdk.GetOrAdd(Key(target), _ => BuildSdk(target)).ExecuteAsync(token =>
        {
            Limits.Acquire(target);
            return call(token);
        }, cancellationToken);

    private static (Guid Id, string Name, string? BaseUrl) Key(ResolvedModel target) => (target.Provider.Id, target.Provider.Name, target.BaseUrl);

    private ResiliencePipeline<HttpResponseMessage> BuildHttp()
    {
        var handle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().Handle<Polly.Timeout.TimeoutRejectedException>().HandleResult(r => IsRetryable((int)r.StatusCode));
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
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
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle.Handle<Polly.Timeout.TimeoutRejectedException>(),
                FailureRatio = 0.5,
                MinimumThroughput = 6,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddTimeout(options.FirstByteTimeout)
            .Build();
    }

    private ResiliencePipeline BuildSdk(ResolvedModel target)
    {
        var handle = new PredicateBuilder().Handle<Exception>(e => e is not RequestLimitReachedException && ModelgateProviderException.ShouldWrap(e)
            && (ModelgateProviderException.StatusOf(e) is not { } status || IsRetryable(status)));
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions { ShouldHandle = handle, MaxRetryAttempts = MaxRetries, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(100) })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { ShouldHandle = handle, FailureRatio = 0.5, MinimumThroughput = 6, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(15) })
            .AddTimeout(options.FirstByteTimeout)
            .Build();
    }
}
