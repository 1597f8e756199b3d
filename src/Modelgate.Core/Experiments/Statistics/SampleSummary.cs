namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// What the statistics need of one arm's metric: how many observations, their mean and their sample variance. Summaries
/// of disjoint parts of an arm merge exactly (<see cref="Merge"/>, Chan's parallel algorithm), so a store can keep one
/// per arm and period and add them up instead of keeping every observation.
/// </summary>
/// <param name="Count">How many observations.</param>
/// <param name="Mean">Their mean (0 when there are none).</param>
/// <param name="Variance">Their sample variance, Σ(x − mean)² / (n − 1) (0 below two observations).</param>
public readonly record struct SampleSummary(long Count, double Mean, double Variance)
{
    /// <summary>The summary of <paramref name="values"/> (Welford's one-pass algorithm); every value must be finite.</summary>
    public static SampleSummary FromValues(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long count = 0;
        double mean = 0, sumOfSquares = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("Every value must be a finite number.", nameof(values));
            }

            count++;
            var delta = value - mean;
            mean += delta / count;
            sumOfSquares += delta * (value - mean);
        }

        return new SampleSummary(count, mean, count > 1 ? sumOfSquares / (count - 1) : 0);
    }

    /// <summary>
    /// The summary of <paramref name="count"/> observations that are 1 (<paramref name="successes"/> of them) or 0: a
    /// rate such as the error rate. Exact: the same as <see cref="FromValues"/> of the zeros and ones.
    /// </summary>
    /// <remarks>
    /// A rate of 0 (or 1) in both arms has no variance, and <see cref="MeanComparison"/> then says
    /// <see cref="ComparisonDecision.NotEnoughData"/>. For rare events, the Agresti–Caffo adjustment
    /// <c>Bernoulli(successes + 1, count + 2)</c> in both arms keeps the variance off zero and the normal approximation
    /// honest at the price of a little conservatism.
    /// </remarks>
    public static SampleSummary Bernoulli(long successes, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, count);
        if (count == 0)
        {
            return default;
        }

        var rate = (double)successes / count;
        return new SampleSummary(count, rate, count > 1 ? rate * (1 - rate) * count / (count - 1) : 0);
    }

    /// <summary>
    /// The share of <paramref name="values"/> strictly above <paramref name="threshold"/>, as a <see cref="Bernoulli"/>
    /// summary (what <see cref="TailGuardrail"/> compares).
    /// </summary>
    public static SampleSummary Exceedances(IEnumerable<double> values, double threshold)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold must be a number.");
        }

        long count = 0, above = 0;
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("Every value must be a number.", nameof(values));
            }

            count++;
            if (value > threshold)
            {
                above++;
            }
        }

        return Bernoulli(above, count);
    }

    /// <summary>
    /// The summary of this arm's observations and <paramref name="other"/>'s together (they must not overlap), as if
    /// computed from all the values at once.
    /// </summary>
    public SampleSummary Merge(SampleSummary other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var count = Count + other.Count;
        var delta = other.Mean - Mean;
        var mean = Mean + delta * ((double)other.Count / count);
        var sumOfSquares = Variance * (Count - 1) + other.Variance * (other.Count - 1)
            + delta * delta * ((double)Count * other.Count / count);
        return new SampleSummary(count, mean, sumOfSquares / (count - 1));
    }

    internal void Validate(string name)
    {
        if (Count < 0 || !double.IsFinite(Mean) || !double.IsFinite(Variance) || Variance < 0)
        {
            throw new ArgumentOutOfRangeException(name, this, "A summary needs a count ≥ 0, a finite mean and a finite variance ≥ 0.");
        }
    }
}
