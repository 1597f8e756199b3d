using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>A model's recent record at a glance: calls, success rate, latency and cost over the last hours.</summary>
public sealed record ModelScorecard(int WindowHours, long Requests, long Errors, double? SuccessRate, double? LatencyP50Ms, double? LatencyP95Ms, decimal CostUsd, long UnpricedRequests)
{
    public static ModelScorecard From(int windowHours, UsageTotals? totals) => totals is null || totals.Requests == 0
        ? new ModelScorecard(windowHours, 0, 0, null, null, null, 0m, 0)
        : new ModelScorecard(windowHours, totals.Requests, totals.Errors, Math.Round(1 - (double)totals.Errors / totals.Requests, 4),
            totals.Latency.Percentile(0.5), totals.Latency.Percentile(0.95), totals.CostUsd, totals.Unpriced);
}
