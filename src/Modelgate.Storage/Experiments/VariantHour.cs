namespace Modelgate.Storage.Experiments;

/// <summary>One variant's calls in one UTC hour, for charts: counts, latency percentiles and cost.</summary>
public sealed record VariantHour(DateTimeOffset Hour, long Calls, long Errors, double? LatencyP50Ms, double? LatencyP95Ms, decimal CostUsd);
