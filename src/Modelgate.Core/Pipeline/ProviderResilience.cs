using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// Per model, Polly pipelines for the part of a call before its first byte — the same objects for gateway calls
/// (raw HTTP, <see cref="SendAsync"/>) and SDK calls (<see cref="ExecuteAsync{T}"/>: the gateway's translated calls and
/// the client library's direct mode); each path counts its own outcomes, and a model whose circuit one path opened is
/// refused by the other too. Bounded retries with
/// exponential backoff and jitter on connection failures, timeouts, 408 and 5xx (not on a provider's 429: its limit is
/// not a failure), inside a circuit breaker that stops sending
/// to a model that keeps failing (its calls then go straight to the next fallback); every attempt must produce its first
/// byte within <see cref="PipelineOptions.FirstByteTimeout"/>. Configured limits are taken once per model before these
/// rules run (<see cref="Limits.CallLimits"/>, from <see cref="FallbackChain"/>); each retry takes one more request from
/// the provider's and the model's requests per minute.
/// A breaker opening and closing is logged once each, at Warning.
/// </summary>
public sealed partial class ProviderResilience(TimeProvider time, PipelineOptions options, Limiter limiter, ILogger<ProviderResilience>? logger = null)
{
    public const int MaxRetries = 2;
    private readonly ILogger _logger = logger ?? NullLogger<ProviderResilience>.Instance;
    private readonly ConcurrentDictionary<Key, ModelGuards> _guards = new();

    /// <summary>The bounds this pipeline applies.</summary>
    public PipelineOptions Options => options;

    /// <summary>
    /// Statuses worth another attempt at the same model, and that count against its circuit: a timeout or a server
    /// error. A provider's 429 is neither: it is the provider's limit, not a failure, so the same model is not asked
    /// again at once and its circuit stays closed; the call goes to the next model, or to the caller as 429.
    /// </summary>
    public static bool IsRetryable(int status) => status is 408 or >= 500;

    /// <summary>
    /// Statuses that say the provider cannot serve the request now (retryable ones, its 429, and the provider's own
    /// configuration: a redirect, a refused key, a missing endpoint): the next model of the chain is tried.
    /// </summary>
    public static bool IsProviderFault(int status) => IsRetryable(status) || status is 429 or (>= 300 and < 400) or 401 or 403 or 404;

    /// <summary>
    /// Whether an SDK call's failure before its first byte should go to the next model of the chain: the provider's
    /// fault (no answer, timeout, 408/429/5xx, a refused key or missing endpoint), an open circuit, or the provider's
    /// configured limit. A request the provider refuses on its merits (another 4xx) and the caller cancelling do not.
    /// </summary>
    public static bool IsFallbackWorthy(Exception error) => error switch
    {
        LimitReachedException limited => limited.Bucket.AnotherModelMayServe,
        // Limits that cannot be checked (policy reject) are no fault of a provider's, and no other model is checked better.
        LimitCountersUnavailableException => false,
        ExecutionRejectedException => true,
        OperationCanceledException or ModelgateConfigurationException => false,
        _ => ModelgateProviderException.StatusOf(error) is { } status ? IsProviderFault(status) : IsTransportFailure(error),
    };

    /// <summary>
    /// A failure without an HTTP status that is the provider's: no answer or a broken connection (anywhere in the
    /// exception's chain), a timeout, or an answer that is not the JSON it should be. A caller's or a library's own error
    /// (an invalid argument, an unsupported option) is not, so it is neither retried nor counted against the model.
    /// </summary>
    public static bool IsTransportFailure(Exception error)
    {
        if (error is LimitCountersUnavailableException)
        {
            // Redis's own timeout inside it is not the provider's.
            return false;
        }

        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException or Polly.Timeout.TimeoutRejectedException or System.Text.Json.JsonException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sends a request built afresh for each attempt. Throws <see cref="BrokenCircuitException"/> while the model's
    /// circuit is open.
    /// </summary>
    public ValueTask<HttpResponseMessage> SendAsync(ResolvedModel target, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var guards = Guards(target);
        var attempts = 0;
        return guards.HttpRetry.ExecuteAsync(async token =>
        {
            await AdmitAsync(target, guards, attempts++, token);
            return await guards.HttpGuard.ExecuteAsync(async inner => await send(inner), token);
        }, cancellationToken);
    }

    /// <summary>Runs an SDK call's part before its first byte under retry, circuit breaker and first-byte timeout.</summary>
    public ValueTask<T> ExecuteAsync<T>(ResolvedModel target, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var guards = Guards(target);
        var attempts = 0;
        return guards.SdkRetry.ExecuteAsync(async token =>
        {
            await AdmitAsync(target, guards, attempts++, token);
            return await guards.SdkGuard.ExecuteAsync(call, token);
        }, cancellationToken);
    }

    private ModelGuards Guards(ResolvedModel target) => _guards.GetOrAdd(Key.Of(target), key =>
    {
        var guards = new ModelGuards(time);
        guards.Http = BuildHttp(key, guards);
        guards.Sdk = BuildSdk(key, guards);
        return guards;
    });

    // An open circuit refuses whichever path opened it; a retry is one more request to the provider, counted against
    // its requests per minute (the first attempt's was taken with the call's limits).
    private async ValueTask AdmitAsync(ResolvedModel target, ModelGuards guards, int attempt, CancellationToken cancellationToken)
    {
        if (guards.IsOpen)
        {
            throw new BrokenCircuitException($"The circuit of model '{target.Model.ModelId}' at provider '{target.Provider.Name}' is open.");
        }

        if (attempt > 0)
        {
            await limiter.RetryAsync(target, cancellationToken);
        }
    }

    private (ResiliencePipeline<HttpResponseMessage> Retry, ResiliencePipeline<HttpResponseMessage> Guard) BuildHttp(Key key, ModelGuards guards)
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
                OnOpened = args => Opened(key, guards.HttpOpened(args.BreakDuration), args.BreakDuration, args.Outcome.Result is { } r ? $"status {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name),
                OnHalfOpened = _ => guards.HttpClosed(),
                OnClosed = _ => Closed(key, guards.HttpClosed()),
            })
            .AddTimeout(options.FirstByteTimeout)
            .Build();
        return (retry, guard);
    }

    private (ResiliencePipeline Retry, ResiliencePipeline Guard) BuildSdk(Key key, ModelGuards guards)
    {
        // An open circuit and a reached limit are not retried: the call goes to the next model at once.
        var handle = new PredicateBuilder().Handle<Exception>(e => e is not (LimitReachedException or LimitCountersUnavailableException or BrokenCircuitException) && ModelgateProviderException.ShouldWrap(e)
            && (ModelgateProviderException.StatusOf(e) is { } status ? IsRetryable(status) : IsTransportFailure(e)));
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions { ShouldHandle = handle, MaxRetryAttempts = MaxRetries, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(100) })
            .Build();
        var guard = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = handle,
                FailureRatio = 0.5,
                MinimumThroughput = 6,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                OnOpened = args => Opened(key, guards.SdkOpened(args.BreakDuration), args.BreakDuration, ModelgateProviderException.StatusOf(args.Outcome.Exception!) is { } s ? $"status {s}" : args.Outcome.Exception?.GetType().Name),
                OnHalfOpened = _ => guards.SdkClosed(),
                OnClosed = _ => Closed(key, guards.SdkClosed()),
            })
            .AddTimeout(options.FirstByteTimeout)
            .Build();
        return (retry, guard);
    }

    private ValueTask Opened(Key key, ValueTask marked, TimeSpan breakDuration, string? lastFailure)
    {
        LogOpened(_logger, key.Model, key.Name, breakDuration.TotalSeconds, lastFailure ?? "failure");
        return marked;
    }

    private ValueTask Closed(Key key, ValueTask marked)
    {
        LogClosed(_logger, key.Model, key.Name);
        return marked;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit opened for model {Model} of provider {Provider}: half of its recent calls failed (last: {LastFailure}); its calls go to the next fallback for {Seconds} s.")]
    private static partial void LogOpened(ILogger logger, string model, string provider, double seconds, string lastFailure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit closed for model {Model} of provider {Provider}: it answers again.")]
    private static partial void LogClosed(ILogger logger, string model, string provider);

    // The pass-through (raw HTTP) and SDK paths of one model: each has its own breaker, and while either is open (until
    // its break is over) both refuse the model. Reading a breaker's
    // state does not move it on, so the end of the break is kept here; the path's own breaker then lets its probe through.
    private sealed class ModelGuards(TimeProvider time)
    {
        private long _httpOpenUntil;
        private long _sdkOpenUntil;

        public (ResiliencePipeline<HttpResponseMessage> Retry, ResiliencePipeline<HttpResponseMessage> Guard) Http { get; set; }

        public (ResiliencePipeline Retry, ResiliencePipeline Guard) Sdk { get; set; }

        public ResiliencePipeline<HttpResponseMessage> HttpRetry => Http.Retry;

        public ResiliencePipeline<HttpResponseMessage> HttpGuard => Http.Guard;

        public ResiliencePipeline SdkRetry => Sdk.Retry;

        public ResiliencePipeline SdkGuard => Sdk.Guard;

        public bool IsOpen => time.GetUtcNow().UtcTicks < Math.Max(Volatile.Read(ref _httpOpenUntil), Volatile.Read(ref _sdkOpenUntil));

        public ValueTask HttpOpened(TimeSpan breakDuration) => Mark(ref _httpOpenUntil, (time.GetUtcNow() + breakDuration).UtcTicks);

        public ValueTask HttpClosed() => Mark(ref _httpOpenUntil, 0);

        public ValueTask SdkOpened(TimeSpan breakDuration) => Mark(ref _sdkOpenUntil, (time.GetUtcNow() + breakDuration).UtcTicks);

        public ValueTask SdkClosed() => Mark(ref _sdkOpenUntil, 0);

        private static ValueTask Mark(ref long until, long ticks)
        {
            Volatile.Write(ref until, ticks);
            return ValueTask.CompletedTask;
        }
    }

    // One breaker per model at a provider's address: a failing deployment does not stop the provider's other models.
    private readonly record struct Key(Guid Id, string Name, string? BaseUrl, string Model)
    {
        public static Key Of(ResolvedModel target) => new(target.Provider.Id, target.Provider.Name, target.BaseUrl, target.Model.ModelId);
    }
}
