using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>A provider SDK call that failed before the first byte, as an error in the caller's format.</summary>
internal static class SdkFailure
{
    /// <summary>
    /// Whether a failed SDK call is the provider's doing (to report) rather than the caller leaving: the request's
    /// deadline passing counts as the provider's.
    /// </summary>
    public static bool IsProviderFailure(HttpContext context, Exception error) =>
        ModelgateProviderException.ShouldWrap(error) || (error is OperationCanceledException && !context.RequestAborted.IsCancellationRequested);

    /// <summary>
    /// The provider's failures (no answer, timeout, 429, 5xx, open circuit, a refused key or missing endpoint, the
    /// provider's configured request limit reached) are
    /// returned for the next model of the chain; the provider refusing the request itself (another 4xx) is written
    /// to the caller now and null returned.
    /// </summary>
    public static async Task<IResult?> ReportAsync(HttpContext context, ResolvedModel resolved, Exception error, GatewayFormat format)
    {
        var status = error is Polly.CircuitBreaker.BrokenCircuitException ? 503 : ModelgateProviderException.StatusOf(error);
        if (status is not { } refused || ProviderResilience.IsProviderFault(refused))
        {
            // The deadline passing counts as the provider's failure, as on the pass-through path.
            PipelineLog.AttemptFailed(context.PipelineLogger(), resolved, error is OperationCanceledException ? new TimeoutException("deadline", error) : error);
        }

        if (error is ProviderLimitReachedException limited)
        {
            // Modelgate's own limit for the provider: the next model may serve.
            return GatewayErrors.AtRequestLimit(format, resolved, limited);
        }

        var result = For(resolved, error, format);
        if (status is { } code && !ProviderResilience.IsProviderFault(code))
        {
            await result.ExecuteAsync(context);
            return null;
        }

        return result;
    }

    private static IResult For(ResolvedModel resolved, Exception error, GatewayFormat format) => error switch
    {
        Polly.CircuitBreaker.BrokenCircuitException => GatewayErrors.CircuitOpen(format, resolved),
        _ when ModelgateProviderException.StatusOf(error) is { } status => GatewayErrors.ProviderFailed(format, resolved, status),
        Polly.Timeout.TimeoutRejectedException or TimeoutException or OperationCanceledException => GatewayErrors.TimedOut(format, resolved),
        _ => GatewayErrors.Unreachable(format, resolved),
    };
}
