using Modelgate.Core.Experiments.Statistics;

namespace Modelgate.Core.Experiments;

/// <summary>
/// One metric of one variant against the control: the difference (variant − control) with its anytime-valid confidence
/// interval, and whether it is decided (<see cref="Comparison.Decision"/>).
/// </summary>
public sealed record VariantComparison(string Variant, string Metric, double? Control, double? Value, Comparison Comparison);
