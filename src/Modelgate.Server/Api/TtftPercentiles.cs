namespace Modelgate.Server.Api;

/// <summary>Time-to-first-token percentiles of a usage row, in milliseconds.</summary>
public sealed record TtftPercentiles(double? P50, double? P95);
