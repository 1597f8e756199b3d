using Microsoft.Extensions.Logging;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The pipeline's failures in the log, once each, at Warning, the same for both entrances: a model given up on (after
/// its retries), a call a provider's configured limit refused, a stream the provider cut. Only names, statuses and
/// exception types are written — never a key, a prompt or what the provider said.
/// </summary>
public static partial class PipelineLog
{
    /// <summary>The log category both entrances write these under.</summary>
    public const string Category = "Modelgate.Pipeline";

    /// <summary>Logs why an attempt at <paramref name="model"/> failed before its first byte (nothing for an open circuit or the caller leaving).</summary>
    public static void AttemptFailed(ILogger logger, ResolvedModel model, Exception error)
    {
        switch (error)
        {
            case ProviderLimitReachedException limited:
                LimitReached(logger, model.Provider.Name, limited.Limit, model.Model.ModelId);
                break;
            case Polly.CircuitBreaker.BrokenCircuitException or OperationCanceledException:
                // The circuit's opening was logged once; a caller who left is no failure of the provider's.
                break;
            default:
                ProviderFailed(logger, model.Provider.Name, model.Model.ModelId, Describe(error));
                break;
        }
    }

    /// <summary>What went wrong, without anything the provider or the caller wrote.</summary>
    public static string Describe(Exception error) => error switch
    {
        Polly.Timeout.TimeoutRejectedException => "no first byte within the first-byte timeout",
        TimeoutException => "no first byte within the call's deadline",
        _ when ModelgateProviderException.StatusOf(error) is { } status => $"HTTP {status}",
        _ => $"no answer ({error.GetType().Name})",
    };

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Provider {Provider} failed for model {Model}: {Failure}.")]
    public static partial void ProviderFailed(ILogger logger, string provider, string model, string failure);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Provider {Provider} is at its configured limit of {Limit}: a call for model {Model} was not sent.")]
    public static partial void LimitReached(ILogger logger, string provider, string limit, string model);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Provider {Provider} cut the stream of model {Model}: {Reason}")]
    public static partial void StreamCut(ILogger logger, string provider, string model, string reason);
}
