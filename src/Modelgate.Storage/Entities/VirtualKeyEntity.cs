namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>virtual_keys</c>: a gateway caller's key, stored only as the SHA-256 of its secret.</summary>
public sealed class VirtualKeyEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public required string KeyPrefix { get; set; }

    /// <summary>Newline-separated allow-list of purposes; empty: all.</summary>
    public string AllowedPurposes { get; set; } = "";

    /// <summary>Newline-separated allow-list of upstream model names; empty: all.</summary>
    public string AllowedModels { get; set; } = "";
    public decimal? BudgetUsd { get; set; }

    /// <summary><c>daily</c> or <c>monthly</c>; null when there is no budget.</summary>
    public string? BudgetPeriod { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Revision { get; set; } = 1;
}
