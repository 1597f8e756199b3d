using Modelgate.Core.Limits;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Server.Gateway.Usage;
using Polly.CircuitBreaker;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The gateway's pipeline and relay steps: the request's chain runs through <see cref="FallbackChain"/>, the same
/// object direct mode's clients use, so which failures go to the next model and how long the whole may take are
/// decided once for both entrances. Each model is opened under the call's limits (<see cref="CallLimits"/>), retries, circuit breaker and
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
            (answer, _) = await FallbackChain.RunAsync(request.Chain, pipeline, (model, token) => open(request, model, token), model => call.Model = model, _logger, call.Limits, stopping.Token);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left while a model was being opened: whatever the attempt made of it, it is the caller's leaving.
            throw e as OperationCanceledException ?? new OperationCanceledException("The caller left.", e, context.RequestAborted);
        }
        catch (Exception e) when (IsPipelineFailure(e))
        {
            await Failure(format, call, e).ExecuteAsync(context);
            return;
        }

        await using (answer)
        {
            await answer.RelayAsync(context);
        }
    }

    // What the pipeline answers for: a provider's failure, a refusal of its own, a timeout, the drain. Anything else is
    // the gateway's own fault, and goes to the error handler (logged with its stack trace, a 500 for the caller).
    private bool IsPipelineFailure(Exception error) =>
        drain.Ended.IsCancellationRequested || ProviderResilience.IsFallbackWorthy(error) || ModelgateProviderException.StatusOf(error) is not null
        || error is TimeoutException or Polly.Timeout.TimeoutRejectedException or BrokenCircuitException or LimitReachedException or LimitCountersUnavailableException;

    // The last model's failure in the caller's format. Statuses and codes are those of PipelineStatus.Answer (what direct
    // mode records); the messages are the gateway's.
    private IResult Failure(GatewayFormat format, GatewayCall call, Exception error)
    {
        var model = call.Model!;
        if (drain.Ended.IsCancellationRequested && ModelgateProviderException.StatusOf(error) is null)
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
            case LimitReachedException limited:
                return GatewayErrors.AtLimit(format, limited);
            case LimitCountersUnavailableException:
                return GatewayErrors.Write(format, 503, "The limits that apply to this call cannot be checked now (their shared counters are out of reach), "
                    + "and this gateway refuses such calls meanwhile. Retry shortly.", code: "limits_unavailable", retryAfter: TimeSpan.FromSeconds(5));
            case BrokenCircuitException:
                return GatewayErrors.CircuitOpen(format, model);
        }

        if (ModelgateProviderException.StatusOf(error) is { } status)
        {
            // A status an SDK threw: said as for a relayed answer, quoting the body the SDK kept.
            return GatewayErrors.ProviderFailed(format, model, status, ProviderError.BodyOf(error));
        }

        return error is Polly.Timeout.TimeoutRejectedException or TimeoutException or OperationCanceledException
            ? GatewayErrors.TimedOut(format, model)
            : GatewayErrors.Unreachable(format, model);
    }
}
