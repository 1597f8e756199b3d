using Modelgate.Core.Experiments.Statistics;
using Xunit.Abstractions;

namespace Modelgate.Core.Tests.Experiments.Statistics;

/// <summary>The Dirichlet-multinomial Bayes factor against the configured split: its values, its flags, and its false-positive rate under peeking.</summary>
public sealed class SampleRatioCheckTests(ITestOutputHelper output)
{
    private const double Alpha = 0.05;

    [Fact]
    public void KnownValue_TwoVariants_IsTheRatioOfGammaFunctionsWorkedByHand()
    {
        // Counts 3 and 1, split 50/50, concentration 2 (so a Dirichlet(1, 1) prior), n = 4:
        // BF = Γ(2)/Γ(6) · Γ(1+3)/Γ(1) · Γ(1+1)/Γ(1) / 0.5⁴ = (1/120) · 6 · 1 · 16 = 0.8.
        var result = SampleRatioCheck.Check([3, 1], [0.5, 0.5], concentration: 2);

        Assert.Equal(0.8, result.BayesFactor, 12);
        Assert.Equal(1, result.PValue);
        Assert.False(result.Mismatch);
        Assert.Equal(4, result.Total);
    }

    [Fact]
    public void KnownValue_ThreeVariants_IsTheRatioOfGammaFunctionsWorkedByHand()
    {
        // Counts 0, 3, 1, weights 2:1:1 (shares 0.5, 0.25, 0.25), concentration 4 (Dirichlet(2, 1, 1)), n = 4:
        // BF = Γ(4)/Γ(8) · Γ(2)/Γ(2) · Γ(4)/Γ(1) · Γ(2)/Γ(1) / (0.25³ · 0.25) = (6/5040) · 6 · 256 = 9216/5040 = 1.8285714.
        var result = SampleRatioCheck.Check([0, 3, 1], [2, 1, 1], alpha: 0.5, concentration: 4);

        Assert.Equal(9_216.0 / 5_040, result.BayesFactor, 10);
        Assert.Equal(5_040.0 / 9_216, result.PValue, 10);
        Assert.False(result.Mismatch); // 1.83 < 1/0.5
    }

    [Fact]
    public void AnEvenSplit_OfAnEvenConfiguration_IsNotFlagged()
    {
        // Concentration 1,000: ln BF = ln Γ(1,000) − ln Γ(11,000) + 2 (ln Γ(5,500) − ln Γ(500)) + 10⁴ ln 2
        // = −1.1991749 (independently, with lgamma).
        var result = SampleRatioCheck.Check([5_000, 5_000], [50, 50]);

        Assert.False(result.Mismatch);
        Assert.Equal(-1.1991749, result.LogBayesFactor, 6);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void FiveThousandAgainstFiveThousandFourHundred_OfAnEvenConfiguration_IsFlagged()
    {
        // ln BF = 5.8025657 (lgamma, independently) ≥ −ln 0.05 = 2.9957323; p = e^−5.8025657 = 0.0030198.
        var result = SampleRatioCheck.Check([5_000, 5_400], [50, 50]);

        Assert.True(result.Mismatch);
        Assert.Equal(5.8025657, result.LogBayesFactor, 6);
        Assert.Equal(0.0030198, result.PValue, 7);

        // With the reference implementation's concentration of 10,000 too, though closer: ln BF = 3.5655246.
        Assert.True(SampleRatioCheck.Check([5_000, 5_400], [50, 50], concentration: 10_000).Mismatch);
        Assert.Equal(3.5655246, SampleRatioCheck.Check([5_000, 5_400], [50, 50], concentration: 10_000).LogBayesFactor, 6);
    }

    [Fact]
    public void ANinetyTenConfiguration_IsRespected()
    {
        Assert.False(SampleRatioCheck.Check([9_000, 1_000], [90, 10]).Mismatch);
        Assert.True(SampleRatioCheck.Check([5_000, 5_000], [90, 10]).Mismatch);
        Assert.True(SampleRatioCheck.Check([9_000, 1_000], [50, 50]).Mismatch);
        Assert.True(SampleRatioCheck.Check([9_000, 1_200], [0.9, 0.1]).Mismatch);
    }

    [Fact]
    public void AVariantWeightedZero_IsAMismatchOnceItHasObservations_AndLeftOutBefore()
    {
        var withTraffic = SampleRatioCheck.Check([500, 500, 1], [1, 1, 0]);
        var without = SampleRatioCheck.Check([500, 500, 0], [1, 1, 0]);

        Assert.True(withTraffic.Mismatch);
        Assert.Equal(0, withTraffic.PValue);
        Assert.Equal(SampleRatioCheck.Check([500, 500], [1, 1]).LogBayesFactor, without.LogBayesFactor, 12);
    }

    [Fact]
    public void ImpossibleInputs_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => SampleRatioCheck.Check([1, 2], [1, 1, 1]));
        Assert.Throws<ArgumentException>(() => SampleRatioCheck.Check([1], [1]));
        Assert.Throws<ArgumentException>(() => SampleRatioCheck.Check([1, 2], [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleRatioCheck.Check([1, -2], [1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleRatioCheck.Check([1, 2], [1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleRatioCheck.Check([1, 2], [1, 1], alpha: 1));
    }

    [Theory]
    [InlineData(new[] { 50.0, 50.0 }, SampleRatioCheck.DefaultConcentration)]
    [InlineData(new[] { 90.0, 10.0 }, SampleRatioCheck.DefaultConcentration)]
    [InlineData(new[] { 50.0, 30.0, 20.0 }, SampleRatioCheck.DefaultConcentration)]
    [InlineData(new[] { 50.0, 50.0 }, 20.0)]
    public void SplitsAsConfigured_CheckedAfterEveryBatch_KeepTheFalsePositiveRateUnderAlpha_WhereANaiveChiSquareTestDoesNot(double[] weights,
        double concentration)
    {
        const int runs = 1_000, looks = 40, batch = 100;
        var shares = weights.Select(w => w / weights.Sum()).ToArray();
        var cumulative = new double[shares.Length];
        for (var i = 0; i < shares.Length; i++)
        {
            cumulative[i] = shares[..(i + 1)].Sum();
        }

        // Pearson's χ² at 5% with 1 and 2 degrees of freedom.
        var critical = weights.Length == 2 ? 3.8414588 : 5.9914645;
        var random = new Random(1_016);
        int flagged = 0, naive = 0;
        for (var run = 0; run < runs; run++)
        {
            var counts = new long[weights.Length];
            var pValue = new AlwaysValidPValue();
            var naiveFlagged = false;
            for (var look = 0; look < looks; look++)
            {
                for (var unit = 0; unit < batch; unit++)
                {
                    var u = random.NextDouble();
                    var variant = 0;
                    while (variant < counts.Length - 1 && u >= cumulative[variant])
                    {
                        variant++;
                    }

                    counts[variant]++;
                }

                pValue.Observe(SampleRatioCheck.Check(counts, weights, Alpha, concentration).PValue);
                var n = (double)(look + 1) * batch;
                naiveFlagged |= counts.Select((x, i) => (x - n * shares[i]) * (x - n * shares[i]) / (n * shares[i])).Sum() >= critical;
            }

            flagged += pValue.Rejects(Alpha) ? 1 : 0;
            naive += naiveFlagged ? 1 : 0;
        }

        output.WriteLine($"{string.Join("/", weights)}, c = {concentration}: {flagged} of {runs} correct splits flagged, {naive} by the naive χ² test");
        Assert.True(flagged <= Alpha * runs, $"{flagged} of {runs} correct splits flagged");
        Assert.True(naive > 2 * Alpha * runs, $"the naive test flagged only {naive} of {runs}");
    }
}
