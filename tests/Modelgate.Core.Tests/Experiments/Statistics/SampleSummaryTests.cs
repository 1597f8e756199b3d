using Modelgate.Core.Experiments.Statistics;

namespace Modelgate.Core.Tests.Experiments.Statistics;

/// <summary>An arm's count, mean and sample variance, built from values, from a rate, or merged from parts.</summary>
public sealed class SampleSummaryTests
{
    [Fact]
    public void FromValues_GivesTheCountTheMeanAndTheSampleVariance()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares about it sum to 32, sample variance 32 / 7.
        var summary = SampleSummary.FromValues([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(8, summary.Count);
        Assert.Equal(5, summary.Mean, 12);
        Assert.Equal(32.0 / 7, summary.Variance, 12);
    }

    [Fact]
    public void EmptyAndSingleValues_HaveNoVariance()
    {
        Assert.Equal(default, SampleSummary.FromValues([]));
        Assert.Equal(new SampleSummary(1, 3, 0), SampleSummary.FromValues([3]));
        Assert.Equal(new SampleSummary(1, 1, 0), SampleSummary.Bernoulli(1, 1));
    }

    [Fact]
    public void Bernoulli_IsTheSummaryOfItsZerosAndOnes()
    {
        var values = Enumerable.Repeat(1.0, 7).Concat(Enumerable.Repeat(0.0, 43)).ToArray();

        var fromCounts = SampleSummary.Bernoulli(7, 50);
        var fromValues = SampleSummary.FromValues(values);

        Assert.Equal(fromValues.Count, fromCounts.Count);
        Assert.Equal(fromValues.Mean, fromCounts.Mean, 12);
        Assert.Equal(fromValues.Variance, fromCounts.Variance, 12);
    }

    [Fact]
    public void Merging_DisjointParts_GivesWhatAllTheValuesGiveAtOnce()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 1_001).Select(_ => 1_000 + 300 * Draw.Normal(random)).ToArray();

        var merged = SampleSummary.FromValues(values[..1]).Merge(SampleSummary.FromValues(values[1..400]))
            .Merge(default).Merge(SampleSummary.FromValues(values[400..]));
        var whole = SampleSummary.FromValues(values);

        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Mean, merged.Mean, 9);
        Assert.Equal(whole.Variance, merged.Variance, 6);
    }

    [Fact]
    public void Exceedances_CountTheValuesStrictlyAboveTheThreshold()
    {
        var summary = SampleSummary.Exceedances([100, 200, 300, 400], 200);

        Assert.Equal(SampleSummary.Bernoulli(2, 4), summary);
    }

    [Fact]
    public void ImpossibleInputs_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => SampleSummary.FromValues([1, double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSummary.Bernoulli(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSummary.Bernoulli(-1, 2));
    }
}
