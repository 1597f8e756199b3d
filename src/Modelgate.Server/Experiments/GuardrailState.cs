namespace Modelgate.Server.Experiments;

/// <summary>One guardrail as one variant stands against it: <c>holds</c>, <c>crossed</c>, <c>inconclusive</c> or <c>not_enough_data</c>, with a sentence.</summary>
public sealed record GuardrailState(string Metric, double? MaxIncrease, double? MaxRatio, string Variant, string Verdict, double? Lower, double? Upper, string Summary);
