namespace Modelgate.Core.Experiments.Statistics;

/// <summary>What can be said, with confidence 1 − α at any look, of a <see cref="Guardrail"/>.</summary>
public enum GuardrailVerdict
{
    /// <summary>An arm is below the minimum sample, or neither arm varies yet.</summary>
    NotEnoughData,

    /// <summary>The confidence sequence straddles the limit: keep collecting.</summary>
    Inconclusive,

    /// <summary>The whole confidence sequence is on the allowed side of the limit: the treatment keeps the guardrail.</summary>
    Holds,

    /// <summary>The whole confidence sequence is past the limit: the treatment breaks the guardrail.</summary>
    Breached,
}
