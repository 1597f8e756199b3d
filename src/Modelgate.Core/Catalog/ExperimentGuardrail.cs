namespace Modelgate.Core.Catalog;

/// <summary>
/// A limit a non-control variant must keep relative to the control, e.g. <c>error_rate</c> with
/// <see cref="MaxIncrease"/> 0.02 ("not above control by more than 2 points") or <c>latency_p95</c> with
/// <see cref="MaxRatio"/> 1.5 ("not above 1.5 × control"). Crossed with confidence, it stops the experiment.
/// </summary>
public sealed record ExperimentGuardrail(string Metric, double? MaxIncrease = null, double? MaxRatio = null);
