namespace Modelgate.Core.Experiments.Statistics;

/// <summary>A <see cref="Guardrail"/>'s verdict at one look and the comparison it rests on.</summary>
/// <param name="Verdict">Holds, breached, or not yet decided.</param>
/// <param name="Comparison">The comparison of mean(B) − ratio × mean(A) (the margin is not subtracted from it).</param>
public sealed record GuardrailResult(GuardrailVerdict Verdict, Comparison Comparison);
