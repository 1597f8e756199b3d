using Modelgate.Core.Catalog;

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

    /// <summary>A free-form application or team label, for charging usage back; null when none.</summary>
    public string? Team { get; set; }
    public decimal? BudgetUsd { get; set; }

    /// <summary><c>daily</c> or <c>monthly</c>; null when there is no budget.</summary>
    public string? BudgetPeriod { get; set; }
    public int? RequestsPerMinute { get; set; }
    public long? TokensPerMinute { get; set; }

    /// <summary>Requests in flight at once; null: no limit of the key's own.</summary>
    public int? ConcurrentRequests { get; set; }

    /// <summary>The limits only counted, not enforced (shadow mode; the budget too), stored as the <see cref="LimitKinds"/> flags.</summary>
    public LimitKinds ShadowLimits { get; set; }

    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Revision { get; set; } = 1;
}
