namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// The comparison of treatment (B) against control (A) at one look: the estimate of d = mean(B) − ratio × mean(A), its
/// anytime-valid (1 − α) confidence interval, and the always-valid p-value of d = 0.
/// </summary>
/// <param name="Decision">What the interval allows one to say: it lies wholly above or below 0, or not.</param>
/// <param name="Estimate">d̂ = mean(B) − ratio × mean(A).</param>
/// <param name="Lower">The lower end of the confidence sequence at this look (−∞ with <see cref="ComparisonDecision.NotEnoughData"/>).</param>
/// <param name="Upper">The upper end (+∞ with <see cref="ComparisonDecision.NotEnoughData"/>).</param>
/// <param name="PValue">
/// 1/Λ clipped to 1, Λ the mixture likelihood ratio of d = 0 at this look. The always-valid p-value is its running
/// minimum over the looks of one experiment, which the caller keeps (<see cref="AlwaysValidPValue"/>); this look's value
/// alone is at most α exactly when the interval excludes 0.
/// </param>
/// <param name="Alpha">The α the interval was made with.</param>
public sealed record Comparison(ComparisonDecision Decision, double Estimate, double Lower, double Upper, double PValue, double Alpha);
