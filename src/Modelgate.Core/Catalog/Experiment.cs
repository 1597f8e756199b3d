namespace Modelgate.Core.Catalog;

/// <summary>
/// An A/B experiment on a purpose or an alias (its <see cref="Target"/>): while it is live, each call to the target is
/// assigned one of the split variants by a hash of the experiment and the call's stickiness unit, and shadow variants
/// receive a copy of the call whose answer is recorded but never returned. The first variant is the control: the one
/// compared against, and where traffic goes back when the experiment stops. Catalog data like a default: in the
/// snapshot, versioned, audited and propagated to every instance.
/// </summary>
public sealed record Experiment
{
    public required Guid Id { get; init; }

    /// <summary>A name people and the usage records know it by; unique.</summary>
    public required string Name { get; init; }

    /// <summary>The purpose (<c>chat</c>, <c>agents/researcher</c>) or alias (<c>smart</c>) whose calls it splits.</summary>
    public required string Target { get; init; }

    /// <summary>The variants: the first is the control. At least two, at most one of them may be unused by the split.</summary>
    public required IReadOnlyList<ExperimentVariant> Variants { get; init; }

    /// <summary>What keeps a caller on its variant: a session (the default), the virtual key, or nothing (each request).</summary>
    public ExperimentStickiness Stickiness { get; init; } = ExperimentStickiness.Session;

    /// <summary>Limits that stop the experiment by themselves when a variant crosses them with confidence.</summary>
    public IReadOnlyList<ExperimentGuardrail> Guardrails { get; init; } = [];

    /// <summary>Not live before this instant (null: from its creation).</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>Not live from this instant (null: until stopped).</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Running, or stopped (by a person, a guardrail or a promotion); a stopped experiment routes nothing.</summary>
    public ExperimentState State { get; init; } = ExperimentState.Running;

    /// <summary>Why it was stopped, in a sentence (a guardrail says which and by how much).</summary>
    public string? StopReason { get; init; }

    public string? Description { get; init; }

    /// <summary>The error rate of its comparisons and guardrails (0.05: 95 % confidence).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The variant compared against, and where traffic goes when it stops.</summary>
    public ExperimentVariant Control => Variants[0];

    /// <summary>Whether calls are split at <paramref name="now"/>: running, started and not ended.</summary>
    public bool IsLive(DateTimeOffset now) =>
        State == ExperimentState.Running && (StartsAt is not { } start || now >= start) && (EndsAt is not { } end || now < end);

    /// <summary>The experiment's state as people read it at <paramref name="now"/>: scheduled, running, ended or stopped.</summary>
    public string Phase(DateTimeOffset now) =>
        State == ExperimentState.Stopped ? "stopped"
        : StartsAt is { } start && now < start ? "scheduled"
        : EndsAt is { } end && now >= end ? "ended"
        : "running";
}
