namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// Anytime-valid comparison of the means of two arms, treatment B against control A, by the mixture sequential
/// probability ratio test (mSPRT; Johari, Koomen, Pekelis and Walsh 2017, after Robbins' normal mixture). The results
/// may be looked at after every batch and acted on at any look: the chance that the confidence sequence ever misses the
/// true difference, over the whole experiment, is at most α.
/// </summary>
/// <remarks>
/// <para>
/// The compared quantity is d = mean(B) − k × mean(A), k the ratio (1 for a plain difference; 1.5 to ask whether B is
/// above 1.5 × A). With d̂ its estimate, V = var(B)/n(B) + k² var(A)/n(A) the estimate's variance and τ² the mixture
/// variance (<see cref="SequentialTestOptions"/>), the mixture likelihood ratio of d = 0 is
/// Λ = √(V/(V+τ²)) · exp(τ² d̂² / (2V(V+τ²))), rejected when Λ ≥ 1/α, and the confidence sequence is
/// d̂ ± √( V(V+τ²)/τ² · (ln((V+τ²)/V) − 2 ln α) ), the set of d₀ the same test would not reject.
/// </para>
/// <para>
/// The guarantee is asymptotic: d̂ is treated as normal with its variance estimated from the data, which is why each
/// arm needs <see cref="SequentialTestOptions.MinimumSamplePerArm"/> observations first. Simulations in the tests
/// (rates of 10% and normal latencies, 40 looks) keep the false-positive rate far below α. The looks must be of one
/// experiment's cumulative data; summaries are taken as they are (no adjustment for more than one metric or arm: with
/// several comparisons, split α between them).
/// </para>
/// </remarks>
public static class MeanComparison
{
    /// <summary>
    /// Compares <paramref name="treatment"/> (B) with <paramref name="control"/> (A) on d = mean(B) − <paramref name="ratio"/> × mean(A).
    /// </summary>
    /// <param name="control">Control's summary, A.</param>
    /// <param name="treatment">Treatment's summary, B.</param>
    /// <param name="ratio">k, positive: 1 compares B with A, 1.5 compares B with 1.5 × A.</param>
    /// <param name="options">α, minimum sample, τ²; <see cref="SequentialTestOptions.Default"/> when null.</param>
    public static Comparison Compare(SampleSummary control, SampleSummary treatment, double ratio = 1, SequentialTestOptions? options = null)
    {
        options ??= SequentialTestOptions.Default;
        options.Validate();
        control.Validate(nameof(control));
        treatment.Validate(nameof(treatment));
        if (!(ratio > 0 && double.IsFinite(ratio)))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The ratio must be a positive number.");
        }

        var alpha = options.Alpha;
        var estimate = treatment.Mean - ratio * control.Mean;
        var variance = control.Count < 1 || treatment.Count < 1
            ? 0
            : treatment.Variance / treatment.Count + ratio * ratio * control.Variance / control.Count;
        if (control.Count < options.MinimumSamplePerArm || treatment.Count < options.MinimumSamplePerArm || !(variance > 0))
        {
            return new Comparison(ComparisonDecision.NotEnoughData, estimate, double.NegativeInfinity, double.PositiveInfinity, 1, alpha);
        }

        var tau2 = options.MixtureVariance ?? DefaultMixtureVariance(control, treatment, ratio, options.EffectSize);
        var halfWidth = HalfWidth(variance, tau2, alpha);
        var lower = estimate - halfWidth;
        var upper = estimate + halfWidth;
        var pValue = Math.Min(1, Math.Exp(-LogLikelihoodRatio(estimate, variance, tau2)));
        var decision = lower > 0 ? ComparisonDecision.TreatmentHigher
            : upper < 0 ? ComparisonDecision.TreatmentLower
            : ComparisonDecision.Inconclusive;
        return new Comparison(decision, estimate, lower, upper, pValue, alpha);
    }

    /// <summary>ln Λ: the log of the normal-mixture likelihood ratio of d = 0 for an estimate of variance V.</summary>
    internal static double LogLikelihoodRatio(double estimate, double variance, double tau2) =>
        0.5 * Math.Log(variance / (variance + tau2)) + tau2 * estimate * estimate / (2 * variance * (variance + tau2));

    /// <summary>Half the width of the confidence sequence: where ln Λ of d̂ − d₀ reaches −ln α.</summary>
    internal static double HalfWidth(double variance, double tau2, double alpha) =>
        Math.Sqrt(variance * (variance + tau2) / tau2 * (Math.Log((variance + tau2) / variance) - 2 * Math.Log(alpha)));

    /// <summary>
    /// τ² = (effect size)² × the pooled variance of B's observations and k × A's:
    /// ((n(A) − 1) k² var(A) + (n(B) − 1) var(B)) / (n(A) + n(B) − 2).
    /// </summary>
    internal static double DefaultMixtureVariance(SampleSummary control, SampleSummary treatment, double ratio, double effectSize)
    {
        var pooled = ((control.Count - 1) * ratio * ratio * control.Variance + (treatment.Count - 1) * treatment.Variance)
            / (control.Count + treatment.Count - 2);
        return effectSize * effectSize * pooled;
    }
}
