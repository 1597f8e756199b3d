namespace Modelgate.Core.Catalog;

/// <summary>
/// The fields an administrator may set on an experiment (the body of <c>POST</c> and <c>PUT /api/v1/experiments</c>).
/// On create, <see cref="Name"/>, <see cref="Target"/> and <see cref="Variants"/> are required and the rest take their
/// defaults; on update, absent fields stay as they are (variants and guardrails are replaced as a whole list).
/// </summary>
public sealed record ExperimentChanges
{
    public Optional<string?> Name { get; init; }

    /// <summary>A purpose name (<c>chat</c>, <c>agents/researcher</c>) or an alias name.</summary>
    public Optional<string?> Target { get; init; }

    /// <summary>The variants in order: the first is the control.</summary>
    public Optional<ExperimentVariantChanges[]?> Variants { get; init; }

    /// <summary><c>session</c> (the default), <c>key</c> or <c>request</c>.</summary>
    public Optional<string?> Stickiness { get; init; }

    public Optional<ExperimentGuardrail[]?> Guardrails { get; init; }

    public Optional<DateTimeOffset?> StartsAt { get; init; }

    public Optional<DateTimeOffset?> EndsAt { get; init; }

    public Optional<string?> Description { get; init; }

    /// <summary>The error rate of comparisons and guardrails; (0, 0.5], default 0.05.</summary>
    public Optional<double?> Alpha { get; init; }
}
