using Modelgate.Core.Experiments.Statistics;
using Xunit.Abstractions;

namespace Modelgate.Core.Tests.Experiments.Statistics;

/// <summary>
/// The mixture SPRT's confidence sequence for mean(B) − k × mean(A): its values worked by hand, its false-positive rate
/// under a null experiment looked at after every batch (against a naive z-test looked at the same way), its power and
/// its coverage.
/// </summary>
public sealed class MeanComparisonTests(ITestOutputHelper output)
{
    private const int Runs = 1_000;
    private const int Looks = 40;
    private const int BatchPerArm = 50;
    private const double Alpha = 0.05;

    [Fact]
    public void KnownValues_OfRates_MatchTheMixtureFormulasWorkedByHand()
    {
        // A: 1,000 at mean 0.10, variance 0.09; B: 1,000 at mean 0.15, variance 0.1275; τ² = 0.0025, α = 0.05.
        // d̂ = 0.05; V = 0.1275/1000 + 0.09/1000 = 2.175e-4; V + τ² = 2.7175e-3.
        // Λ = √(2.175e-4 / 2.7175e-3) · exp(0.0025 · 0.05² / (2 · 2.175e-4 · 2.7175e-3))
        //   = 0.2829078 · exp(5.2871448) = 55.952910   → p = 1/Λ = 0.0178722
        // half-width = √(2.175e-4 · 2.7175e-3 / 0.0025 · (ln(2.7175e-3 / 2.175e-4) − 2 ln 0.05))
        //            = √(2.364225e-4 · (2.5252688 + 5.9914645)) = 0.0448726  → [0.0051274, 0.0948726]
        var options = new SequentialTestOptions { MixtureVariance = 0.0025 };

        var result = MeanComparison.Compare(new SampleSummary(1_000, 0.10, 0.09), new SampleSummary(1_000, 0.15, 0.1275), options: options);

        Assert.Equal(ComparisonDecision.TreatmentHigher, result.Decision);
        Assert.Equal(0.05, result.Estimate, 12);
        Assert.Equal(0.0178722, result.PValue, 7);
        Assert.Equal(0.0051274, result.Lower, 7);
        Assert.Equal(0.0948726, result.Upper, 7);
        Assert.Equal(0.05, result.Alpha);
    }

    [Fact]
    public void KnownValues_WithARatio_CompareBWithKTimesA_AndTheDefaultTauComesFromThePooledVariance()
    {
        // A: 400 at mean 1,000, variance 200²; B: 500 at mean 1,600, variance 300²; k = 1.5.
        // d̂ = 1600 − 1.5 · 1000 = 100; V = 90000/500 + 1.5² · 40000/400 = 180 + 225 = 405.
        // Pooled variance of B and 1.5·A: (399 · 2.25 · 40000 + 499 · 90000) / 898 = 80,820,000 / 898 = 90,000;
        // τ² = 0.1² · 90,000 = 900; V + τ² = 1,305.
        // Λ = √(405/1305) · exp(900 · 100² / (2 · 405 · 1305)) = 0.5570860 · exp(8.5142614) = 2777.2757 → p = 3.6006508e-4
        // half-width = √(405 · 1305 / 900 · (ln(1305/405) + 2 ln 20)) = √(587.25 · (1.1700713 + 5.9914645)) = 64.850689
        var result = MeanComparison.Compare(new SampleSummary(400, 1_000, 40_000), new SampleSummary(500, 1_600, 90_000), ratio: 1.5);

        Assert.Equal(ComparisonDecision.TreatmentHigher, result.Decision);
        Assert.Equal(100, result.Estimate, 9);
        Assert.Equal(3.6006508e-4, result.PValue, 10);
        Assert.Equal(35.149311, result.Lower, 5);
        Assert.Equal(164.850689, result.Upper, 5);

        // Mirrored: B at 1,400 is below 1.5 × A by the same amount.
        var lower = MeanComparison.Compare(new SampleSummary(400, 1_000, 40_000), new SampleSummary(500, 1_400, 90_000), ratio: 1.5);
        Assert.Equal(ComparisonDecision.TreatmentLower, lower.Decision);
        Assert.Equal(-164.850689, lower.Lower, 5);
        Assert.Equal(-35.149311, lower.Upper, 5);
        Assert.Equal(3.6006508e-4, lower.PValue, 10);
    }

    [Fact]
    public void TheDecision_IsThePValueAtOrUnderAlpha_AndTheIntervalExcludingZero()
    {
        var control = new SampleSummary(1_000, 0.10, 0.09);
        for (var mean = 0.05; mean <= 0.15; mean += 0.0025)
        {
            var result = MeanComparison.Compare(control, new SampleSummary(1_000, mean, 0.09));

            Assert.Equal(result.PValue <= Alpha, result.Decision != ComparisonDecision.Inconclusive);
            Assert.Equal(result.Estimate, (result.Lower + result.Upper) / 2, 12);
            Assert.InRange(result.PValue, 0, 1);
        }
    }

    [Fact]
    public void BelowTheMinimumSample_NothingIsDecided_HoweverLargeTheDifference()
    {
        var result = MeanComparison.Compare(SampleSummary.Bernoulli(0, 29), SampleSummary.Bernoulli(29, 29));

        Assert.Equal(ComparisonDecision.NotEnoughData, result.Decision);
        Assert.Equal(double.NegativeInfinity, result.Lower);
        Assert.Equal(double.PositiveInfinity, result.Upper);
        Assert.Equal(1, result.PValue);

        var withMore = MeanComparison.Compare(SampleSummary.Bernoulli(5, 100), SampleSummary.Bernoulli(60, 100), options: new() { MinimumSamplePerArm = 200 });
        Assert.Equal(ComparisonDecision.NotEnoughData, withMore.Decision);
        Assert.Equal(ComparisonDecision.TreatmentHigher, MeanComparison.Compare(SampleSummary.Bernoulli(5, 100), SampleSummary.Bernoulli(60, 100)).Decision);
    }

    [Fact]
    public void NoVariationInEitherArm_IsNotEnoughData()
    {
        var result = MeanComparison.Compare(SampleSummary.Bernoulli(0, 5_000), SampleSummary.Bernoulli(0, 5_000));

        Assert.Equal(ComparisonDecision.NotEnoughData, result.Decision);

        // The Agresti–Caffo adjustment the summary's docs suggest gives the rare event a variance, and a decision.
        var adjusted = Guardrail.NotAbove(margin: 0.02).Evaluate(SampleSummary.Bernoulli(0 + 1, 5_000 + 2), SampleSummary.Bernoulli(0 + 1, 5_000 + 2));
        Assert.Equal(GuardrailVerdict.Holds, adjusted.Verdict);
    }

    [Fact]
    public void ImpossibleOptions_AreRefused()
    {
        var arm = new SampleSummary(100, 1, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => MeanComparison.Compare(arm, arm, options: new() { Alpha = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanComparison.Compare(arm, arm, options: new() { MinimumSamplePerArm = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanComparison.Compare(arm, arm, options: new() { MixtureVariance = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanComparison.Compare(arm, arm, ratio: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanComparison.Compare(arm, new SampleSummary(100, 1, -1)));
    }

    [Theory]
    [InlineData("error rate 10%")]
    [InlineData("normal latency")]
    [InlineData("log-normal latency")]
    public void ANullExperiment_CheckedAfterEveryBatch_KeepsItsFalsePositiveRateUnderAlpha_WhereANaiveZTestDoesNot(string metric)
    {
        Func<Random, double> draw = metric switch
        {
            "error rate 10%" => r => Draw.Bernoulli(r, 0.10),
            "normal latency" => r => 800 + 150 * Draw.Normal(r),
            _ => r => Draw.LogNormal(r, Math.Log(800), 0.6),
        };
        var random = new Random(16);
        int sequential = 0, naive = 0;

        for (var run = 0; run < Runs; run++)
        {
            SampleSummary control = default, treatment = default;
            var pValue = new AlwaysValidPValue();
            bool decided = false, naiveDecided = false;
            for (var look = 0; look < Looks; look++)
            {
                control = control.Merge(Batch(random, draw));
                treatment = treatment.Merge(Batch(random, draw));

                var result = MeanComparison.Compare(control, treatment);
                pValue.Observe(result.PValue);
                decided |= result.Decision is ComparisonDecision.TreatmentHigher or ComparisonDecision.TreatmentLower;

                // The naive fixed-horizon test: |z| ≥ 1.96 at any look.
                var z = (treatment.Mean - control.Mean) / Math.Sqrt(treatment.Variance / treatment.Count + control.Variance / control.Count);
                naiveDecided |= Math.Abs(z) >= 1.96;
            }

            Assert.Equal(decided, pValue.Rejects(Alpha));
            sequential += decided ? 1 : 0;
            naive += naiveDecided ? 1 : 0;
        }

        output.WriteLine($"{metric}: the sequence rejected {sequential} of {Runs} null runs, the naive z-test {naive}");

        // Over 1,000 runs the Monte Carlo standard error at 5% is 0.7 points; the sequence is far under α and needs no slack.
        Assert.True(sequential <= Alpha * Runs, $"{sequential} of {Runs} null runs rejected");
        Assert.True(naive > 2 * Alpha * Runs, $"the naive test rejected only {naive} of {Runs}");
    }

    [Fact]
    public void ARealDifference_IsDetectedInMostRuns_AndTheSequenceCoversTheTruthAtEveryLookInAtLeast95PercentOfRuns()
    {
        // 10% against 15% errors, up to 2,000 per arm.
        const double control = 0.10, treatment = 0.15;
        var random = new Random(1_616);
        int detected = 0, wrongWay = 0, coveredThroughout = 0;

        for (var run = 0; run < Runs; run++)
        {
            long controlErrors = 0, treatmentErrors = 0, perArm = 0;
            bool higher = false, lower = false, covered = true;
            for (var look = 0; look < Looks; look++)
            {
                for (var i = 0; i < BatchPerArm; i++)
                {
                    controlErrors += (long)Draw.Bernoulli(random, control);
                    treatmentErrors += (long)Draw.Bernoulli(random, treatment);
                }

                perArm += BatchPerArm;
                var result = MeanComparison.Compare(SampleSummary.Bernoulli(controlErrors, perArm), SampleSummary.Bernoulli(treatmentErrors, perArm));
                higher |= result.Decision == ComparisonDecision.TreatmentHigher;
                lower |= result.Decision == ComparisonDecision.TreatmentLower;
                covered &= result.Lower <= treatment - control && treatment - control <= result.Upper;
            }

            detected += higher ? 1 : 0;
            wrongWay += lower ? 1 : 0;
            coveredThroughout += covered ? 1 : 0;
        }

        output.WriteLine($"detected in {detected} of {Runs}, the wrong way in {wrongWay}, covered throughout in {coveredThroughout}");
        Assert.True(detected >= 0.9 * Runs, $"detected in {detected} of {Runs}");
        Assert.Equal(0, wrongWay);
        Assert.True(coveredThroughout >= (1 - Alpha) * Runs, $"covered throughout in {coveredThroughout} of {Runs}");
    }

    private static SampleSummary Batch(Random random, Func<Random, double> draw)
    {
        var values = new double[BatchPerArm];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = draw(random);
        }

        return SampleSummary.FromValues(values);
    }
}
