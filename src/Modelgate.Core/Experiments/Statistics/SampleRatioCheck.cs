using MathNet.Numerics;

namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// Anytime-valid sample ratio mismatch (SRM) check: whether the observed counts per variant fit the configured weights,
/// looked at as often as one likes (Lindon and Malek 2022, "Anytime-valid inference for multinomial count data").
/// </summary>
/// <remarks>
/// Under the configured split p the counts x (n in all) are multinomial(n, p). The alternative mixes all splits θ with a
/// Dirichlet(c·p) prior, centred on the configured split with concentration c. The Bayes factor
/// <code>
/// BF = Γ(c)/Γ(c + n) · Π Γ(c·pᵢ + xᵢ)/Γ(c·pᵢ) / Π pᵢ^xᵢ
/// </code>
/// is a nonnegative martingale under the configured split, so (Ville's inequality) the chance it ever reaches 1/α is at
/// most α: a mismatch is flagged when BF ≥ 1/α. Unlike <see cref="MeanComparison"/> this is exact at any sample size.
/// The concentration sets which mismatches the check is quickest to see: the alternative's prior puts a 50/50 split's
/// share within about 1/√(4(c + 1)) of 0.5, and while n is well under c the Bayes factor stays near 1. The default,
/// 1,000 (share ± 0.016), suits a gateway's experiments of a few hundred to some tens of thousands of calls per arm:
/// 1,000 against 1,300 gives ln BF ≈ 13 where Optimizely's reference default of 10,000, made for web traffic, gives
/// 3.6 (barely past −ln 0.05 = 3.0), while 10,000 is the quicker only past about 50,000 per arm (50,000 against 51,000:
/// 3.3 against 2.6).
/// </remarks>
public static class SampleRatioCheck
{
    /// <summary>The Dirichlet prior's concentration c by default.</summary>
    public const double DefaultConcentration = 1_000;

    /// <summary>
    /// Checks observed <paramref name="counts"/> per variant against configured <paramref name="weights"/> (same order,
    /// two or more variants; weights need not sum to 1: 90 and 10 are 90% and 10%). A variant weighted 0 that has
    /// observations is a mismatch outright; one with none is left out.
    /// </summary>
    /// <param name="counts">Observations (assignments) per variant, each ≥ 0.</param>
    /// <param name="weights">Configured weights, each ≥ 0, not all 0.</param>
    /// <param name="alpha">The chance, over all looks, of flagging a split that is as configured; 0.05 by default.</param>
    /// <param name="concentration">The Dirichlet prior's concentration c, positive.</param>
    public static SampleRatioResult Check(IReadOnlyList<long> counts, IReadOnlyList<double> weights, double alpha = 0.05,
        double concentration = DefaultConcentration)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(weights);
        if (counts.Count != weights.Count || counts.Count < 2)
        {
            throw new ArgumentException("Give one count per configured weight, for two variants or more.", nameof(counts));
        }

        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must lie strictly between 0 and 1.");
        }

        if (!(concentration > 0 && double.IsFinite(concentration)))
        {
            throw new ArgumentOutOfRangeException(nameof(concentration), concentration, "The concentration must be a positive number.");
        }

        double totalWeight = 0;
        long total = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (!(weights[i] >= 0 && double.IsFinite(weights[i])))
            {
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i], "Every weight must be a finite number ≥ 0.");
            }

            ArgumentOutOfRangeException.ThrowIfNegative(counts[i], nameof(counts));
            totalWeight += weights[i];
            total += counts[i];
        }

        if (!(totalWeight > 0))
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(weights));
        }

        // ln BF = ln Γ(c) − ln Γ(c + n) + Σ [ln Γ(c·pᵢ + xᵢ) − ln Γ(c·pᵢ) − xᵢ ln pᵢ], over the variants weighted above 0.
        double logBayesFactor = 0, priorTotal = 0;
        long counted = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (weights[i] == 0)
            {
                if (counts[i] > 0)
                {
                    return new SampleRatioResult(true, 0, double.PositiveInfinity, alpha, total);
                }

                continue;
            }

            var share = weights[i] / totalWeight;
            var prior = concentration * share;
            logBayesFactor += SpecialFunctions.GammaLn(prior + counts[i]) - SpecialFunctions.GammaLn(prior) - counts[i] * Math.Log(share);
            priorTotal += prior;
            counted += counts[i];
        }

        logBayesFactor += SpecialFunctions.GammaLn(priorTotal) - SpecialFunctions.GammaLn(priorTotal + counted);
        var pValue = Math.Min(1, Math.Exp(-logBayesFactor));
        return new SampleRatioResult(logBayesFactor >= -Math.Log(alpha), pValue, logBayesFactor, alpha, total);
    }
}
