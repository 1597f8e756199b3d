namespace Modelgate.Server.Api;

/// <summary>Latency percentiles of a usage row, in milliseconds.</summary>
public sealed record LatencyPercentiles(double? P50, double? P95, double? P99);
