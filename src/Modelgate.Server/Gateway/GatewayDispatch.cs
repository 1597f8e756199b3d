using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Server.Gateway.Usage;
using Polly.CircuitBreaker;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The gateway's pipeline and relay steps: the request's chain runs through <see cref="FallbackChain"/>, the same
/// object direct mode's clients use, so which failures go to the next model and how long the whole may take are
/// decided once for both entrances. Each model is opened under its provider's limits, retries, circuit breaker and
/// first-byte timeout (<see cref="ProviderResilience"/>); the first that answers is relayed. A stopping server's drain
/// time ends the wait for a first byte too.
/// </summary>
internal sealed class GatewayDispatch(PipelineOptions pipeline, GatewayOptions options, GatewayDrain drain, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger(PipelineLog.Category);

    /// <summary>
    /// Opens the request's models in turn with <paramref name="open"/> (which throws for a failure the next model may
    /// take over) and relays the first answer; if none answers, the last failure goes to the caller in its format.
    /// </summary>
    public async Task ServeAsync(HttpContext context, GatewayFormat format, Func<GatewayRequest, ResolvedModel, CancellationToken, Task<GatewayAnswer>> open)
    {
        var call = GatewayCall.Of(context)!;
        var request = call.Request!;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Ended);
        GatewayAnswer answer;
        try
        {
            (answer, _) = await FallbackChain.RunAsync(request.Chain, pipeline, (model, token) => open(request, model, token), model => call.Model = model, _logger, stopping.Token);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            await Failure(format, call, e).ExecuteAsync(context);
            return;
        }

        await using (answer)
        {
            await answer.RelayAsync(context);
        }
    }

    // The last model's failure in the caller's format, with the status both entrances agree on (PipelineStatus).
    private IResult Failure(GatewayFormat format, GatewayCall call, Exception error)
    {
        var model = call.Model!;
        if (drain.Ended.IsCancellationRequested)
        {
            call.ErrorClass ??= "shutdown";
            return GatewayErrors.Write(format, 503,
                $"The gateway is shutting down: no model answered within its drain time of {options.DrainTimeout.TotalSeconds:F0} s. Send the request again.",
                code: "shutting_down", retryAfter: TimeSpan.FromSeconds(1));
        }

        switch (error)
        {
            case UpstreamFailedException failed:
                return failed.Answer;
            case DeadlineExceededException:
                return GatewayErrors.Write(format, 504, $"No model answered within the gateway's request timeout of {pipeline.RequestTimeout.TotalSeconds:F0} s.", code: "upstream_timeout");
            case ProviderLimitReachedException limited:
                return GatewayErrors.AtRequestLimit(format, model, limited);
            case BrokenCircuitException:
                return GatewayErrors.CircuitOpen(format, model);
        }

        if (ModelgateProviderException.StatusOf(error) is { } status)
        {
            // The provider refused the request on its merits (a 4xx other than its own configuration's): the caller's.
            return GatewayErrors.ProviderFailed(format, model, status);
        }

        if (error is Polly.Timeout.TimeoutRejectedException or TimeoutException or OperationCanceledException)
        {
            return GatewayErrors.TimedOut(format, model);
        }

        if (!ProviderResilience.IsFallbackWorthy(error))
        {
            // Neither the provider's answer nor its absence: the provider's library failed on its own. Not passed on as
            // the provider's fault, and logged (the chain logs only what it blames on the provider).
            PipelineLog.ProviderFailed(_logger, model.Provider.Name, model.Model.ModelId, $"its client failed ({error.GetType().Name})");
            return GatewayErrors.Write(format, 502, $"{GatewayErrors.Who(model)} could not be called ({error.GetType().Name}).", code: "upstream_error");
        }

        return GatewayErrors.Unreachable(format, model);
    }
}
