namespace Modelgate.Storage.Catalog;

/// <summary>
/// An experiment as the admin API shows it: its definition, its <see cref="Phase"/> now (<c>scheduled</c>,
/// <c>running</c>, <c>ended</c> or <c>stopped</c>), and its variants with their models' names.
/// </summary>
public sealed record ExperimentView(
    Guid Id,
    string Name,
    string Target,
    string TargetKind,
    string State,
    string Phase,
    string Stickiness,
    DateTime? StartsAt,
    DateTime? EndsAt,
    string? StopReason,
    string? Description,
    double Alpha,
    IReadOnlyList<ExperimentVariantView> Variants,
    IReadOnlyList<Core.Catalog.ExperimentGuardrail> Guardrails,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Revision);
