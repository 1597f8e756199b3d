namespace Modelgate.Core.Experiments.Statistics;

/// <summary>What a <see cref="Comparison"/> of treatment (B) against control (A) allows one to say.</summary>
public enum ComparisonDecision
{
    /// <summary>An arm is below the minimum sample, or neither arm varies yet: nothing can be said.</summary>
    NotEnoughData,

    /// <summary>The confidence sequence still holds 0: keep collecting.</summary>
    Inconclusive,

    /// <summary>The whole confidence sequence lies above 0: B's mean is above ratio × A's.</summary>
    TreatmentHigher,

    /// <summary>The whole confidence sequence lies below 0: B's mean is below ratio × A's.</summary>
    TreatmentLower,
}
