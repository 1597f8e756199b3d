using Modelgate.Core.Experiments.Statistics;

namespace Modelgate.Core.Experiments;

/// <summary>
/// An experiment's results at one look: each split variant's observations, its comparisons with the control, the sample
/// ratio check of the split, and the guardrails' state. <see cref="Crossed"/> is the first guardrail crossed with confidence.
/// </summary>
public sealed record ExperimentReport(
    IReadOnlyList<VariantObservations> Variants,
    IReadOnlyList<VariantComparison> Comparisons,
    SampleRatioResult? SampleRatio,
    IReadOnlyList<GuardrailCheck> Guardrails)
{
    public GuardrailCheck? Crossed => Guardrails.FirstOrDefault(g => g.Verdict == GuardrailVerdict.Breached);
}
