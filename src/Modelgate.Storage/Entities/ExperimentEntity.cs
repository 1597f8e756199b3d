namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>experiments</c>: an A/B experiment on a purpose or alias. Its variants and guardrails are JSON text
/// (snake_case), read and written whole with the row; models are referred to by id, never by a foreign key, so a stopped
/// experiment keeps its history when a model it used is gone.
/// </summary>
public sealed class ExperimentEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Target { get; set; }

    /// <summary><c>session</c>, <c>key</c> or <c>request</c>.</summary>
    public required string Stickiness { get; set; }

    /// <summary><c>running</c> or <c>stopped</c>.</summary>
    public required string State { get; set; }
    public DateTime? StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public string? StopReason { get; set; }
    public string? Description { get; set; }
    public double Alpha { get; set; }

    /// <summary>The variants as a JSON array, the control first.</summary>
    public required string Variants { get; set; }

    /// <summary>The guardrails as a JSON array.</summary>
    public required string Guardrails { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Revision { get; set; }
}
