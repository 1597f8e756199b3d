using Modelgate.Core.Experiments.Statistics;

namespace Modelgate.Core.Tests.Experiments.Statistics;

/// <summary>Guardrails decided with confidence: breached, holding, or not yet known.</summary>
public sealed class GuardrailTests
{
    private static readonly Guardrail ErrorRateAtMostTwoPointsAbove = Guardrail.NotAbove(margin: 0.02);

    [Fact]
    public void AnErrorRateWellOverControlPlusTwoPoints_BreachesTheGuardrail()
    {
        // 10% against 16% over 10,000 each: the interval for the difference, about 0.06 ± 0.015, lies above 0.02.
        var result = ErrorRateAtMostTwoPointsAbove.Evaluate(SampleSummary.Bernoulli(1_000, 10_000), SampleSummary.Bernoulli(1_600, 10_000));

        Assert.Equal(GuardrailVerdict.Breached, result.Verdict);
        Assert.True(result.Comparison.Lower > 0.02);
    }

    [Fact]
    public void AnErrorRateLikeControls_HoldsTheGuardrail_OnceThereIsEnoughData()
    {
        var early = ErrorRateAtMostTwoPointsAbove.Evaluate(SampleSummary.Bernoulli(10, 100), SampleSummary.Bernoulli(11, 100));
        var later = ErrorRateAtMostTwoPointsAbove.Evaluate(SampleSummary.Bernoulli(1_000, 10_000), SampleSummary.Bernoulli(1_010, 10_000));

        Assert.Equal(GuardrailVerdict.Inconclusive, early.Verdict);
        Assert.Equal(GuardrailVerdict.Holds, later.Verdict);
        Assert.True(later.Comparison.Upper < 0.02);
    }

    [Fact]
    public void AnErrorRateNearTheLimit_IsInconclusive_AndTooFewCallsAreNotEnoughData()
    {
        // 12% against 10%: exactly at the limit, which the interval straddles.
        var atTheLimit = ErrorRateAtMostTwoPointsAbove.Evaluate(SampleSummary.Bernoulli(1_000, 10_000), SampleSummary.Bernoulli(1_200, 10_000));
        var tooFew = ErrorRateAtMostTwoPointsAbove.Evaluate(SampleSummary.Bernoulli(1, 20), SampleSummary.Bernoulli(15, 20));

        Assert.Equal(GuardrailVerdict.Inconclusive, atTheLimit.Verdict);
        Assert.Equal(GuardrailVerdict.NotEnoughData, tooFew.Verdict);
    }

    [Fact]
    public void AMeanLatencyAbove1Point5TimesControls_Breaches_AndOneBelowHolds()
    {
        // The worked values of MeanComparisonTests: B − 1.5·A = ±100 ± 64.85.
        var guardrail = Guardrail.NotAbove(ratio: 1.5);
        var control = new SampleSummary(400, 1_000, 40_000);

        Assert.Equal(GuardrailVerdict.Breached, guardrail.Evaluate(control, new SampleSummary(500, 1_600, 90_000)).Verdict);
        Assert.Equal(GuardrailVerdict.Holds, guardrail.Evaluate(control, new SampleSummary(500, 1_400, 90_000)).Verdict);
        Assert.Equal(GuardrailVerdict.Inconclusive, guardrail.Evaluate(control, new SampleSummary(500, 1_500, 90_000)).Verdict);
    }

    [Fact]
    public void AQualityScoreFarBelowControlsLessTheMargin_BreachesANotBelowGuardrail()
    {
        var guardrail = Guardrail.NotBelow(margin: 0.05);
        var control = new SampleSummary(2_000, 0.80, 0.04);

        Assert.Equal(GuardrailVerdict.Breached, guardrail.Evaluate(control, new SampleSummary(2_000, 0.70, 0.04)).Verdict);
        Assert.Equal(GuardrailVerdict.Holds, guardrail.Evaluate(control, new SampleSummary(2_000, 0.80, 0.04)).Verdict);
    }

    [Fact]
    public void AP95Guardrail_BreachesOnADoubledTail_ThatTheMeanOfLogLatencyWouldMiss()
    {
        // Control: log-normal, median 1,000 ms, σ 0.5: its p95 is 1000 · e^(1.6449 · 0.5) = 2,276 ms, fixed beforehand.
        // Treatment: the same median, σ 0.9: its p95 is 4,394 ms, 1.93 × control's.
        var threshold = 1_000 * Math.Exp(1.6449 * 0.5);
        var random = new Random(95);
        var control = Enumerable.Range(0, 4_000).Select(_ => Draw.LogNormal(random, Math.Log(1_000), 0.5)).ToArray();
        var widerTail = Enumerable.Range(0, 4_000).Select(_ => Draw.LogNormal(random, Math.Log(1_000), 0.9)).ToArray();

        var tail = TailGuardrail.Evaluate(control, widerTail, threshold, ratio: 1.5);
        var logMeans = Guardrail.NotAbove(margin: Math.Log(1.5))
            .Evaluate(SampleSummary.FromValues(control.Select(x => Math.Log(x))), SampleSummary.FromValues(widerTail.Select(x => Math.Log(x))));

        Assert.Equal(GuardrailVerdict.Breached, tail.Verdict);
        Assert.NotEqual(GuardrailVerdict.Breached, logMeans.Verdict);
    }

    [Fact]
    public void AP95Guardrail_HoldsForATreatmentLikeControl()
    {
        var threshold = 1_000 * Math.Exp(1.6449 * 0.5);
        var random = new Random(96);
        var control = Enumerable.Range(0, 2_000).Select(_ => Draw.LogNormal(random, Math.Log(1_000), 0.5)).ToArray();
        var same = Enumerable.Range(0, 2_000).Select(_ => Draw.LogNormal(random, Math.Log(1_000), 0.5)).ToArray();

        var result = TailGuardrail.Evaluate(control, same, threshold, ratio: 1.5);

        Assert.Equal(GuardrailVerdict.Holds, result.Verdict);
    }
}
