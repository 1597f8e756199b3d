using Modelgate.Core.Experiments;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Experiments;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Watches the live experiments' guardrails: every <c>MODELGATE_EXPERIMENT_CHECK_SECONDS</c> (30 by default) each live
/// experiment with guardrails is analysed from its usage (<see cref="ExperimentAnalysis"/>), and one whose variant has
/// crossed a guardrail with confidence is stopped — an audited catalog change by the actor <c>guardrail</c> whose reason
/// says which guardrail, which variant and by how much — so its target's calls go back to what it is configured to
/// (the control) on every instance. Every instance watches; a stop is idempotent, so the first to see it stops it.
/// </summary>
internal sealed partial class ExperimentMonitor(
    CurrentCatalog catalog, ExperimentResultsQuery results, ExperimentStore store, ExperimentMonitorOptions options, TimeProvider time, ILogger<ExperimentMonitor> logger)
    : BackgroundService
{
    /// <summary>The actor a guardrail's stop is audited under.</summary>
    public const string Actor = "guardrail";

    // The longest stop reason the store takes.
    private const int MaxReasonLength = 1000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> _failing = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CheckInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CheckAsync(stoppingToken);
        }
    }

    /// <summary>Looks at every live experiment with guardrails once, and stops those crossed.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var experiment in catalog.State.Snapshot.Experiments.Values.Where(e => e.Guardrails.Count > 0 && e.IsLive(now)))
        {
            try
            {
                if (await results.RunAsync(experiment.Id, experiment.StartsAt, null, cancellationToken) is not { } usage)
                {
                    continue;
                }

                _failing.TryRemove(experiment.Id, out _);
                var report = ExperimentAnalysis.Analyze(experiment, [.. usage.Variants.Select(v => v.ToObservations())]);
                if (report.Crossed is not { } crossed)
                {
                    continue;
                }

                var confidence = (1 - experiment.Alpha).ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
                var reason = $"guardrail {crossed.Guardrail.Metric} crossed with {confidence} confidence: {crossed.Summary}";
                reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
                var stopped = await store.StopAsync(experiment.Id.ToString(), reason, Actor, cancellationToken);
                if (stopped.Value is { StopReason: { } said } && said == reason)
                {
                    Stopped(logger, experiment.Name, crossed.Variant, reason);
                }
                else if (stopped.Error is { } refused)
                {
                    StopRefused(logger, experiment.Name, refused.Detail);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The next look tries again; a database away must not end the watch. Said once until a look succeeds.
                if (_failing.TryAdd(experiment.Id, true))
                {
                    CheckFailed(logger, experiment.Name, e.GetType().Name);
                }
            }
        }
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Warning, Message = "Experiment {Experiment} stopped by a guardrail (variant {Variant}): {Reason}")]
    private static partial void Stopped(ILogger logger, string experiment, string variant, string reason);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "Experiment {Experiment} crossed a guardrail but could not be stopped: {Refusal}")]
    private static partial void StopRefused(ILogger logger, string experiment, string refusal);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Warning, Message = "The guardrails of experiment {Experiment} could not be checked ({Error}); the next look tries again (said once until a look succeeds).")]
    private static partial void CheckFailed(ILogger logger, string experiment, string error);
}
