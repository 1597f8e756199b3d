namespace Modelgate.Core.Experiments.Statistics;

/// <summary>
/// The always-valid p-value of one experiment: the running minimum of the p-values of its looks
/// (<see cref="Comparison.PValue"/> or <see cref="SampleRatioResult.PValue"/>). Under the null hypothesis the chance that
/// it ever falls to α or below, however many looks there are, is at most α (Ville's inequality), so once it has, the
/// decision stands even if a later look alone would not reject. Not thread-safe; one per experiment and metric.
/// </summary>
public sealed class AlwaysValidPValue
{
    /// <summary>The p-value so far: 1 before any look.</summary>
    public double Value { get; private set; } = 1;

    /// <summary>Takes one look's p-value into account and returns the running minimum.</summary>
    public double Observe(double pValue)
    {
        if (double.IsNaN(pValue))
        {
            throw new ArgumentOutOfRangeException(nameof(pValue), "A p-value must be a number.");
        }

        Value = Math.Min(Value, Math.Clamp(pValue, 0, 1));
        return Value;
    }

    /// <summary>Whether the null hypothesis has been rejected at level <paramref name="alpha"/> at some look.</summary>
    public bool Rejects(double alpha) => Value <= alpha;
}
