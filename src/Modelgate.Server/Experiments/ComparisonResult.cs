namespace Modelgate.Server.Experiments;

/// <summary>
/// One metric of one variant against the control: both values, the difference (variant − control) with its anytime-valid
/// interval (null bounds: not bounded yet), and the decision: <c>higher</c>, <c>lower</c>, <c>inconclusive</c> or <c>not_enough_data</c>.
/// </summary>
public sealed record ComparisonResult(string Variant, string Metric, double? Control, double? Value, double? Difference, double? Lower, double? Upper, double PValue, string Decision);
