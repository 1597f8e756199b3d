namespace Modelgate.Core.Experiments.Statistics;

/// <summary>Which side of the control a <see cref="Guardrail"/> keeps the treatment on.</summary>
public enum GuardrailDirection
{
    /// <summary>Treatment must not be above ratio × control + margin (error rate, latency, cost: lower is better).</summary>
    NotAbove,

    /// <summary>Treatment must not be below ratio × control − margin (a quality score: higher is better).</summary>
    NotBelow,
}
