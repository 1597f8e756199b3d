namespace Modelgate.ConfigFile;

/// <summary>
/// An A/B experiment in the file, known by its <see cref="Name"/>, with the fields of the admin API's experiments
/// (<c>/api/v1/experiments</c>) in the same snake_case. The file holds its definition, never its run state: an
/// experiment applied from the file runs (within <see cref="StartsAt"/> and <see cref="EndsAt"/>); one that has been
/// stopped or has ended is history the file no longer describes.
/// </summary>
public sealed record ConfigExperiment
{
    /// <summary>1–100 letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; unique.</summary>
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The purpose (<c>chat</c>, <c>agents/researcher</c>) or alias (<c>smart</c>) whose calls it splits.</summary>
    public string? Target { get; init; }

    /// <summary><c>session</c> (the default), <c>key</c> or <c>request</c>: what keeps a caller on its variant.</summary>
    public string? Stickiness { get; init; }

    /// <summary>2–10 variants; the first is the control.</summary>
    public IReadOnlyList<ConfigExperimentVariant> Variants { get; init; } = [];

    /// <summary>Limits that stop the experiment by themselves; at most one per metric.</summary>
    public IReadOnlyList<ConfigGuardrail> Guardrails { get; init; } = [];

    /// <summary>Not live before this instant (absent: from when it is applied).</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>Not live from this instant (absent: until stopped); in the future when applied.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>The error rate of its comparisons and guardrails, in (0, 0.5]; absent: 0.05 (95 % confidence).</summary>
    public double? Alpha { get; init; }
}
