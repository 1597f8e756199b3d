namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// A guardrail on a percentile, such as "p95 latency not above 1.5 × control's", decided with confidence at any look by
/// comparing tail shares at a fixed threshold.
/// </summary>
/// <remarks>
/// <para>
/// With t a threshold at about control's p95 (fixed beforehand, see below) and ℓ = P(A ≤ t) the level t truly sits at
/// in control's distribution, "B's ℓ-quantile is above k × A's" is, for continuous latencies, the same as
/// P(B &gt; k·t) &gt; P(A &gt; t). So the guardrail compares two rates: the share of treatment's observations above k·t
/// against the share of control's above t, with <see cref="Guardrail.NotAbove"/> (ratio 1, margin 0) and its
/// anytime-valid confidence sequence. Breached means, with confidence, B's ℓ-quantile is above k × A's; holds means it
/// is below. A threshold that is not exactly control's p95 does not make the answer wrong, it moves the quantile
/// compared (t at control's p94 compares p94s).
/// </para>
/// <para>
/// The threshold must not be taken from the data being compared, or the guarantee is lost (only approximately kept when
/// the sample is large): take it from a baseline, such as control's p95 over the period before the experiment or a
/// warm-up window left out of the comparison. Tails are thin data: a 5% tail needs thousands of observations per arm to
/// decide a moderate change.
/// </para>
/// <para>
/// Not chosen: comparing the means of log latency (a ratio of geometric means) is more powerful but speaks of typical
/// latency, not of the tail, and passes a model whose median improves while its p95 doubles; a confidence sequence for
/// the quantiles themselves would be exact but is much more machinery.
/// </para>
/// </remarks>
public static class TailGuardrail
{
    /// <summary>
    /// Whether treatment's quantile at the level of <paramref name="threshold"/> in control's distribution is not above
    /// <paramref name="ratio"/> × control's, from the share of treatment's <paramref name="treatment"/> values above
    /// ratio × threshold against the share of control's <paramref name="control"/> values above threshold.
    /// </summary>
    /// <param name="control">Control's observations (latencies).</param>
    /// <param name="treatment">Treatment's observations.</param>
    /// <param name="threshold">About control's p95, fixed from a baseline (not from the compared data).</param>
    /// <param name="ratio">k, positive: 1.5 for "not above 1.5 × control's".</param>
    /// <param name="options">α, minimum sample, τ²; <see cref="SequentialTestOptions.Default"/> when null.</param>
    public static GuardrailResult Evaluate(IEnumerable<double> control, IEnumerable<double> treatment, double threshold, double ratio,
        SequentialTestOptions? options = null)
    {
        if (!(ratio > 0 && double.IsFinite(ratio)))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The ratio must be a positive number.");
        }

        if (!double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a finite number.");
        }

        return Evaluate(SampleSummary.Exceedances(control, threshold), SampleSummary.Exceedances(treatment, ratio * threshold), options);
    }

    /// <summary>
    /// The same decision from the tail shares already counted (e.g. from histograms): the share of control's observations
    /// above the threshold, and the share of treatment's above ratio × threshold.
    /// </summary>
    public static GuardrailResult Evaluate(SampleSummary controlAbove, SampleSummary treatmentAbove, SequentialTestOptions? options = null) =>
        Guardrail.NotAbove().Evaluate(controlAbove, treatmentAbove, options);
}
