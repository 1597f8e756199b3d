namespace Modelgate.ConfigFile;

/// <summary>
/// A limit a variant must keep relative to the control: <c>error_rate</c> with <see cref="MaxIncrease"/> (0.02: not
/// more than 2 points above), or <c>latency_p95</c>, <c>ttft_p95</c>, <c>cost_per_call</c> with <see cref="MaxRatio"/>
/// (1.5: not above 1.5 × the control). Crossed with confidence, it stops the experiment.
/// </summary>
public sealed record ConfigGuardrail(string? Metric = null, double? MaxIncrease = null, double? MaxRatio = null);
