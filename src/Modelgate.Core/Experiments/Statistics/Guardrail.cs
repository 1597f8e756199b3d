namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// A limit on the treatment (B) relative to the control (A), decided with confidence at any look from the
/// anytime-valid confidence sequence of d = mean(B) − <see cref="Ratio"/> × mean(A) (<see cref="MeanComparison"/>).
/// "Error rate not above control's by more than 2 points" is <c>NotAbove(margin: 0.02)</c> on
/// <see cref="SampleSummary.Bernoulli"/> summaries: breached when the interval's lower end is above 0.02, holding when
/// its upper end is below 0.02. "Mean latency not above 1.5 × control's" is <c>NotAbove(ratio: 1.5)</c>; for a
/// percentile, see <see cref="TailGuardrail"/>.
/// </summary>
/// <param name="Direction">Which side of the limit the treatment must stay on.</param>
/// <param name="Ratio">k, positive: the limit is k × mean(A) ± margin.</param>
/// <param name="Margin">How far past k × mean(A) the treatment may go, in the metric's unit (0.02 = 2 points of a rate).</param>
public sealed record Guardrail(GuardrailDirection Direction, double Ratio, double Margin)
{
    /// <summary>Treatment's mean must not be above <paramref name="ratio"/> × control's + <paramref name="margin"/>.</summary>
    public static Guardrail NotAbove(double ratio = 1, double margin = 0) => new(GuardrailDirection.NotAbove, ratio, margin);

    /// <summary>Treatment's mean must not be below <paramref name="ratio"/> × control's − <paramref name="margin"/>.</summary>
    public static Guardrail NotBelow(double ratio = 1, double margin = 0) => new(GuardrailDirection.NotBelow, ratio, margin);

    /// <summary>
    /// Whether, at this look, the treatment keeps the guardrail or breaks it with confidence 1 − α (both are
    /// anytime-valid: the chance of a wrong verdict at any look of the experiment is at most α), or neither yet.
    /// </summary>
    public GuardrailResult Evaluate(SampleSummary control, SampleSummary treatment, SequentialTestOptions? options = null)
    {
        if (!double.IsFinite(Margin))
        {
            throw new InvalidOperationException($"The guardrail's margin must be a finite number, not {Margin}.");
        }

        var comparison = MeanComparison.Compare(control, treatment, Ratio, options);
        if (comparison.Decision == ComparisonDecision.NotEnoughData)
        {
            return new GuardrailResult(GuardrailVerdict.NotEnoughData, comparison);
        }

        var verdict = Direction switch
        {
            GuardrailDirection.NotAbove => comparison.Lower > Margin ? GuardrailVerdict.Breached
                : comparison.Upper < Margin ? GuardrailVerdict.Holds
                : GuardrailVerdict.Inconclusive,
            GuardrailDirection.NotBelow => comparison.Upper < -Margin ? GuardrailVerdict.Breached
                : comparison.Lower > -Margin ? GuardrailVerdict.Holds
                : GuardrailVerdict.Inconclusive,
            _ => throw new InvalidOperationException($"Unknown guardrail direction {Direction}."),
        };
        return new GuardrailResult(verdict, comparison);
    }
}
