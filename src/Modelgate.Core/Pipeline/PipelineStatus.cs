using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The status of a failed call, decided once for both entrances. <see cref="Answer"/> is what the gateway answers and
/// what either entrance records in usage (a provider's 5xx is the gateway's 502); <see cref="Of"/> is what a direct-mode
/// caller's <see cref="ModelgateProviderException"/> carries: the provider's own status where it answered, so the
/// application sees what the provider said.
/// </summary>
public static class PipelineStatus
{
    /// <summary>
    /// 429 at a provider's configured limit, 503 for an open circuit, 504 past the first-byte timeout or the call's
    /// deadline, else the status the provider answered; null when no answer came (connection refused, reset).
    /// </summary>
    public static int? Of(Exception error) => error switch
    {
        Limits.LimitReachedException => 429,
        Limits.LimitCountersUnavailableException => 503,
        Polly.CircuitBreaker.BrokenCircuitException => 503,
        Polly.Timeout.TimeoutRejectedException or TimeoutException => 504,
        _ => ModelgateProviderException.StatusOf(error),
    };

    /// <summary>The gateway's status and error code for a failed call (the usage record's status and error class).</summary>
    public static (int Status, string Code) Answer(Exception error) => error switch
    {
        Limits.LimitReachedException limited => (429, limited.Code),
        Limits.LimitCountersUnavailableException => (503, "limits_unavailable"),
        Polly.CircuitBreaker.BrokenCircuitException => (503, "upstream_unavailable"),
        Polly.Timeout.TimeoutRejectedException or TimeoutException or OperationCanceledException => (504, "upstream_timeout"),
        _ when ModelgateProviderException.StatusOf(error) is { } status => ForProviderStatus(status),
        _ => (502, "upstream_error"),
    };

    /// <summary>
    /// The gateway's status and error code for a provider's failed status: its 429 stays 429, a 408 is a timeout (504),
    /// its 5xx, a redirect or a missing endpoint are the gateway's 502, a refused key is 502 too (the caller cannot fix
    /// it), and any other 4xx (the provider refusing the request on its merits) passes through.
    /// </summary>
    public static (int Status, string Code) ForProviderStatus(int status) => status switch
    {
        429 => (429, "rate_limit_exceeded"),
        408 => (504, "upstream_timeout"),
        >= 500 => (502, "upstream_error"),
        401 or 403 => (502, "upstream_auth_error"),
        < 400 or 404 => (502, "upstream_error"),
        _ => (status, "upstream_rejected"),
    };

    /// <summary>Wraps a failed call's error for the caller with its status (our own errors and cancellations pass unchanged).</summary>
    public static Exception Wrap(ResolvedModel model, Exception error) =>
        ModelgateProviderException.ShouldWrap(error) ? From(model, error, Of(error)) : error;

    /// <summary>
    /// A failure of <paramref name="model"/> as the application sees it, with the status to report: the provider's, or
    /// the one Modelgate's pipeline answers for its own refusals, as the gateway does (429 at a configured limit, 503 for
    /// an open circuit, 504 past a timeout).
    /// </summary>
    public static ModelgateProviderException From(ResolvedModel model, Exception error, int? status) =>
        new(model.Purpose.Name, model.Provider.Name, model.Model.ModelId, status,
            $"Provider '{model.Provider.Name}' failed for model '{model.Model.ModelId}' (purpose '{model.Purpose}', {model.Source.ToName()})"
            + (status is { } s ? $" with HTTP {s}" : " without an HTTP answer") + $": {error.Message}",
            error);
}
