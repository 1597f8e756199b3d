using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Experiments.Statistics;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Tests.Experiments;

public sealed class ExperimentAnalysisTests
{
    private static Experiment Experiment(params ExperimentGuardrail[] guardrails) => new()
    {
        Id = Guid.NewGuid(),
        Name = "e",
        Target = "chat",
        Variants = [new("control", null, 50), new("b", Guid.NewGuid(), 50), new("copy", Guid.NewGuid(), 100, Shadow: true)],
        Guardrails = guardrails,
    };

    private static VariantObservations Calls(string variant, long calls, long errors, double latencyMs = 100, double spread = 10, int seed = 1)
    {
        var random = new Random(seed);
        var latencies = Enumerable.Range(0, (int)calls).Select(_ => Math.Max(1, latencyMs + spread * (random.NextDouble() * 2 - 1))).ToList();
        var histogram = new LatencyHistogram();
        latencies.ForEach(histogram.Add);
        return new VariantObservations(variant)
        {
            Calls = calls,
            Errors = errors,
            Latency = SampleSummary.FromValues(latencies),
            LatencyHistogram = histogram,
        };
    }

    [Fact]
    public void ErrorRateFarAboveControlsPlusItsMargin_CrossesTheGuardrail_NamingTheVariant()
    {
        var guardrail = new ExperimentGuardrail(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02);

        var report = ExperimentAnalysis.Analyze(Experiment(guardrail), [Calls("control", 200, 0), Calls("b", 200, 200)]);

        var crossed = report.Crossed!;
        Assert.Equal(("b", GuardrailVerdict.Breached), (crossed.Variant, crossed.Verdict));
        Assert.StartsWith("error rate of 'b' 100 % vs control 0 %: +", crossed.Summary, StringComparison.Ordinal);
        Assert.True(crossed.Comparison.Lower > 0.02);
    }

    [Fact]
    public void ErrorRateLikeControls_DoesNotCrossTheGuardrail()
    {
        var report = ExperimentAnalysis.Analyze(Experiment(new ExperimentGuardrail(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02)),
            [Calls("control", 2_000, 40), Calls("b", 2_000, 42)]);

        Assert.Null(report.Crossed);
        Assert.Equal(GuardrailVerdict.Holds, Assert.Single(report.Guardrails).Verdict);
    }

    [Fact]
    public void LatencyTailThreeTimesControls_CrossesAOnePointFiveTimesP95Guardrail_AndALikeTailDoesNot()
    {
        var experiment = Experiment(new ExperimentGuardrail(GuardrailMetrics.LatencyP95, MaxRatio: 1.5));

        var slow = ExperimentAnalysis.Analyze(experiment, [Calls("control", 1_000, 0, 100, 20, seed: 1), Calls("b", 1_000, 0, 300, 60, seed: 2)]);
        var like = ExperimentAnalysis.Analyze(experiment, [Calls("control", 1_000, 0, 100, 20, seed: 1), Calls("b", 1_000, 0, 100, 20, seed: 3)]);

        Assert.Equal(GuardrailVerdict.Breached, slow.Crossed?.Verdict);
        Assert.Contains("p95 latency of 'b'", slow.Crossed!.Summary, StringComparison.Ordinal);
        Assert.Null(like.Crossed);
    }

    [Fact]
    public void CostPerCallAboveItsRatioOfControls_CrossesTheGuardrail_AndOneBelowDoesNot()
    {
        var experiment = Experiment(new ExperimentGuardrail(GuardrailMetrics.CostPerCall, MaxRatio: 1.5));
        static VariantObservations Costing(string variant, double usd, int seed)
        {
            var random = new Random(seed);
            return Calls(variant, 500, 0) with { Cost = SampleSummary.FromValues(Enumerable.Range(0, 500).Select(_ => usd * (0.8 + 0.4 * random.NextDouble()))) };
        }

        var dearer = ExperimentAnalysis.Analyze(experiment, [Costing("control", 0.001, 1), Costing("b", 0.003, 2)]);
        var cheaper = ExperimentAnalysis.Analyze(experiment, [Costing("control", 0.001, 1), Costing("b", 0.0005, 3)]);

        Assert.Equal(GuardrailVerdict.Breached, dearer.Crossed?.Verdict);
        Assert.Contains("cost per call of 'b' $0.003", dearer.Crossed!.Summary, StringComparison.Ordinal);
        Assert.Null(cheaper.Crossed);
    }

    [Fact]
    public void GuardrailTests_ShareAlpha_SoEachIsHeldToAlphaOverTheirNumber()
    {
        var guardrails = new[] { new ExperimentGuardrail(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02), new ExperimentGuardrail(GuardrailMetrics.CostPerCall, MaxRatio: 2) };

        var report = ExperimentAnalysis.Analyze(Experiment(guardrails), [Calls("control", 200, 0), Calls("b", 200, 200)]);

        // Two guardrails on one split variant: each is tested at 0.05 / 2.
        Assert.All(report.Guardrails, g => Assert.Equal(0.025, g.Comparison.Alpha, 12));
        Assert.All(report.Comparisons, c => Assert.Equal(0.05, c.Comparison.Alpha, 12));
    }

    [Fact]
    public void ShadowVariants_AreComparedButNeverCrossAGuardrail()
    {
        var report = ExperimentAnalysis.Analyze(Experiment(new ExperimentGuardrail(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02)),
            [Calls("control", 200, 0), Calls("b", 200, 0), Calls("copy", 200, 200)]);

        Assert.Null(report.Crossed);
        Assert.All(report.Guardrails, g => Assert.Equal("b", g.Variant));
        Assert.Contains(report.Comparisons, c => c.Variant == "copy" && c.Metric == ExperimentAnalysis.ErrorRate && c.Comparison.Decision == ComparisonDecision.TreatmentHigher);
    }

    [Fact]
    public void SampleRatio_FlagsASplitThatDidNotComeOutAsConfigured_AndIgnoresShadowCopies()
    {
        var even = ExperimentAnalysis.Analyze(Experiment(), [Calls("control", 5_000, 0), Calls("b", 5_000, 0), Calls("copy", 10_000, 0)]);
        var skewed = ExperimentAnalysis.Analyze(Experiment(), [Calls("control", 5_000, 0), Calls("b", 5_400, 0)]);

        Assert.False(even.SampleRatio!.Mismatch);
        Assert.True(skewed.SampleRatio!.Mismatch);
    }

    [Fact]
    public void FeedbackMetrics_AreComparedByName()
    {
        var control = Calls("control", 100, 0) with { Feedback = new Dictionary<string, SampleSummary> { ["thumbs_up"] = SampleSummary.Bernoulli(30, 300) } };
        var b = Calls("b", 100, 0) with { Feedback = new Dictionary<string, SampleSummary> { ["thumbs_up"] = SampleSummary.Bernoulli(150, 300) } };

        var report = ExperimentAnalysis.Analyze(Experiment(), [control, b]);

        var thumbs = Assert.Single(report.Comparisons, c => c.Variant == "b" && c.Metric == "feedback:thumbs_up");
        Assert.Equal((0.1, 0.5), (thumbs.Control!.Value, thumbs.Value!.Value), new ToleranceComparer(1e-9));
        Assert.Equal(ComparisonDecision.TreatmentHigher, thumbs.Comparison.Decision);
    }

    [Fact]
    public void FromSums_GivesTheMeanAndTheSampleVariance()
    {
        double[] values = [1, 2, 3, 4, 10];

        var summary = VariantObservations.FromSums(values.Length, values.Sum(), values.Sum(v => v * v));

        Assert.Equal(SampleSummary.FromValues(values).Mean, summary.Mean, 12);
        Assert.Equal(SampleSummary.FromValues(values).Variance, summary.Variance, 9);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < tolerance && Math.Abs(x.Item2 - y.Item2) < tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }
}
