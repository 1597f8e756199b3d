using Microsoft.Extensions.Logging;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// Tries the models of a resolved chain in turn until one serves: the next one is tried only after a failure before
/// the first byte that <see cref="ProviderResilience.IsFallbackWorthy"/> blames on the provider (no answer, timeout,
/// 408/429/5xx, a refused key, an open circuit, a provider's or a model's configured limit). Before each model is
/// asked, the call's limits take what the attempt needs (<see cref="CallLimits.ReserveAsync"/>) and a model that fails
/// gives it back. Every attempt, retries and
/// fallbacks together, must produce its first byte within <see cref="PipelineOptions.RequestTimeout"/>; past it the
/// call fails with a <see cref="DeadlineExceededException"/>. The caller's own cancellation ends it at once. Each model given up
/// on is logged once (<see cref="PipelineLog"/>).
/// </summary>
public static class FallbackChain
{
    /// <summary>
    /// Runs <paramref name="attempt"/> for each model until one succeeds; <paramref name="trying"/> hears of each model
    /// before its attempt. The attempt's token is the call's deadline (and the caller's token). <paramref name="limits"/>
    /// are the call's limits (null: none).
    /// </summary>
    public static async Task<(T Result, ResolvedModel Served)> RunAsync<T>(
        IReadOnlyList<ResolvedModel> chain,
        PipelineOptions options,
        Func<ResolvedModel, CancellationToken, Task<T>> attempt,
        Action<ResolvedModel>? trying,
        ILogger logger,
        CallLimits? limits,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.RequestTimeout);
        for (var i = 0; ; i++)
        {
            var model = chain[i];
            trying?.Invoke(model);
            try
            {
                if (limits is not null)
                {
                    await limits.ReserveAsync(model, deadline.Token);
                }

                try
                {
                    return (await attempt(model, deadline.Token), model);
                }
                catch (Exception e)
                {
                    // Nothing was used: what the model reserved goes back before the next one, or the caller, is told
                    // (and its request too when an open circuit sent nothing).
                    if (limits is not null)
                    {
                        await limits.ReleaseAsync(sent: e is not Polly.CircuitBreaker.BrokenCircuitException);
                    }

                    throw;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                var timeout = new DeadlineExceededException(options.RequestTimeout, e);
                PipelineLog.AttemptFailed(logger, model, timeout);
                throw timeout;
            }
            catch (OperationCanceledException e) when (!deadline.IsCancellationRequested)
            {
                // Neither the caller nor the deadline: the provider's client gave up waiting on its own (its timeout).
                var timeout = new TimeoutException("The provider's client timed out.", e);
                PipelineLog.AttemptFailed(logger, model, timeout);
                if (i == chain.Count - 1)
                {
                    throw timeout;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && ProviderResilience.IsFallbackWorthy(e))
            {
                PipelineLog.AttemptFailed(logger, model, e);
                if (i == chain.Count - 1)
                {
                    throw;
                }

                // The next model of the chain.
            }
        }
    }
}
