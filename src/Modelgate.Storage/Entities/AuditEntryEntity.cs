namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>audit_log</c>, written in the same transaction as the change it records.</summary>
public sealed class AuditEntryEntity
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>Who made the change, e.g. <c>admin-token:3f9a1c2b</c> (a fingerprint, never the token).</summary>
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }

    /// <summary>JSON of the entity before the change, secrets redacted; null on create.</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the entity after the change, secrets redacted; null on delete.</summary>
    public string? After { get; set; }
}
