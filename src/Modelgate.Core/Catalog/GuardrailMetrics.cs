namespace Modelgate.Core.Catalog;

/// <summary>
/// The metrics a guardrail may watch, and how each is bounded: an error rate by an increase in points
/// (<see cref="ExperimentGuardrail.MaxIncrease"/>, a fraction: 0.02 is 2 points), the others by a ratio to the control
/// (<see cref="ExperimentGuardrail.MaxRatio"/>, e.g. 1.5).
/// </summary>
public static class GuardrailMetrics
{
    /// <summary>Share of calls that failed (status ≥ 400 or an error class).</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>The 95th percentile of the call's latency.</summary>
    public const string LatencyP95 = "latency_p95";

    /// <summary>The 95th percentile of the time to first token (streams only).</summary>
    public const string TimeToFirstTokenP95 = "ttft_p95";

    /// <summary>The mean cost of a call in USD.</summary>
    public const string CostPerCall = "cost_per_call";

    public static IReadOnlyList<string> All { get; } = [ErrorRate, LatencyP95, TimeToFirstTokenP95, CostPerCall];

    /// <summary>Whether the metric is bounded by an increase in points (rates) rather than a ratio.</summary>
    public static bool IsRate(string metric) => metric == ErrorRate;
}
