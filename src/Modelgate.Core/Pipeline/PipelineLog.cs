using Microsoft.Extensions.Logging;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The pipeline's failures in the log, once each, at Warning, the same for both entrances: a model given up on (after
/// its retries), a stream the provider cut (a configured limit's refusal is logged by <see cref="Limits.Limiter"/>). Only names, statuses and
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
            case Limits.LimitReachedException or Polly.CircuitBreaker.BrokenCircuitException or OperationCanceledException:
                // A limit's refusal and the circuit's opening were logged once where they happened; a caller who left is
                // no failure of the provider's.
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

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Provider {Provider} cut the stream of model {Model}: {Reason}")]
    public static partial void StreamCut(ILogger logger, string provider, string model, string reason);
}
