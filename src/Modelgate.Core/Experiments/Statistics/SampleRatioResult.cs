namespace Modelgate.Core.Experiments.Statistics;

/// <summary>The outcome of a <see cref="SampleRatioCheck"/> at one look.</summary>
/// <param name="Mismatch">Whether the split did not come out as configured, with confidence 1 − α at any look.</param>
/// <param name="PValue">
/// 1 / Bayes factor, clipped to 1. The always-valid p-value is its running minimum over the looks
/// (<see cref="AlwaysValidPValue"/>); this look's alone is at most α exactly when <paramref name="Mismatch"/>.
/// </param>
/// <param name="LogBayesFactor">ln of the Bayes factor of "some other split" against the configured one (+∞ when a variant configured at 0 has observations).</param>
/// <param name="Alpha">The α it was decided with.</param>
/// <param name="Total">All observations counted.</param>
public sealed record SampleRatioResult(bool Mismatch, double PValue, double LogBayesFactor, double Alpha, long Total)
{
    /// <summary>The Bayes factor itself (may be +∞ when the evidence is overwhelming).</summary>
    public double BayesFactor => Math.Exp(LogBayesFactor);
}
