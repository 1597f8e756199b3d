namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// How <see cref="MeanComparison"/> (and so <see cref="Guardrail"/> and <see cref="TailGuardrail"/>) decides: the error
/// rate α, the minimum sample per arm, and the mixture variance τ² of the mixture sequential probability ratio test.
/// </summary>
/// <remarks>
/// <para>
/// <b>τ².</b> The test mixes the likelihood ratio over alternatives d ~ N(0, τ²) (Robbins' normal mixture; Johari,
/// Koomen, Pekelis and Walsh 2017). Any τ² &gt; 0 gives a valid test; it only moves where the confidence sequence is
/// narrowest. With equal arms of n observations of variance σ², the ratio τ²/V is n·τ²/(2σ²), and the interval is within
/// about 10% of its narrowest while that ratio lies between about 2 and 200. By default τ = <see cref="EffectSize"/> ×
/// the pooled standard deviation of the compared quantities (treatment's observations and ratio × control's), so the
/// default is free of the metric's unit: with the default 0.1 the interval is within 10% of its narrowest from about
/// 400 to 40,000 observations per arm, 20% wider than that at 200 and 85% wider at 50. Set
/// <see cref="MixtureVariance"/> to fix τ² in the squared unit of the difference instead (for example the square of the
/// smallest difference worth detecting).
/// </para>
/// <para>
/// <b>Minimum sample.</b> The variances are estimated from the data (plug-in), which is sound only once each arm has a
/// few dozen observations; below <see cref="MinimumSamplePerArm"/> in either arm the answer is
/// <see cref="ComparisonDecision.NotEnoughData"/>, whatever the data say.
/// </para>
/// </remarks>
public sealed record SequentialTestOptions
{
    /// <summary>The defaults: α 0.05, at least 30 per arm, τ from an effect size of 0.1 standard deviations.</summary>
    public static SequentialTestOptions Default { get; } = new();

    /// <summary>
    /// The probability, over the whole experiment however often it is looked at, that the confidence sequence ever
    /// misses the true difference (and so the chance of any false decision). Between 0 and 1; 0.05 by default.
    /// </summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Observations each arm needs before any decision; at least 2, 30 by default.</summary>
    public long MinimumSamplePerArm { get; init; } = 30;

    /// <summary>
    /// τ, the mixture's standard deviation, in standard deviations of the metric (pooled over both arms), when
    /// <see cref="MixtureVariance"/> is not set; 0.1 by default.
    /// </summary>
    public double EffectSize { get; init; } = 0.1;

    /// <summary>τ² in the squared unit of the compared difference; when set, <see cref="EffectSize"/> is not used.</summary>
    public double? MixtureVariance { get; init; }

    internal void Validate()
    {
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α must lie strictly between 0 and 1.");
        }

        if (MinimumSamplePerArm < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSamplePerArm), MinimumSamplePerArm, "Each arm needs at least 2 observations.");
        }

        if (!(EffectSize > 0 && double.IsFinite(EffectSize)))
        {
            throw new ArgumentOutOfRangeException(nameof(EffectSize), EffectSize, "The effect size must be a positive number.");
        }

        if (MixtureVariance is { } tau2 && !(tau2 > 0 && double.IsFinite(tau2)))
        {
            throw new ArgumentOutOfRangeException(nameof(MixtureVariance), tau2, "τ² must be a positive number.");
        }
    }
}
