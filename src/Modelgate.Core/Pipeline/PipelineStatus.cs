using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>The HTTP status a failed call gets, the same through either entrance: what the gateway answers for it.</summary>
public static class PipelineStatus
{
    /// <summary>
    /// 429 at a provider's configured limit, 503 for an open circuit, 504 past the first-byte timeout or the call's
    /// deadline, else the status the provider answered; null when no answer came (connection refused, reset).
    /// </summary>
    public static int? Of(Exception error) => error switch
    {
        ProviderLimitReachedException => 429,
        Polly.CircuitBreaker.BrokenCircuitException => 503,
        Polly.Timeout.TimeoutRejectedException or TimeoutException => 504,
        _ => ModelgateProviderException.StatusOf(error),
    };

    /// <summary>Wraps a failed call's error for the caller with its status (our own errors and cancellations pass unchanged).</summary>
    public static Exception Wrap(ResolvedModel model, Exception error) =>
        ModelgateProviderException.ShouldWrap(error) ? ModelgateProviderException.From(model, error, Of(error)) : error;
}
