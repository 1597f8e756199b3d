namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>instances</c>: one running Modelgate process and the catalog version it has in effect.</summary>
public sealed class InstanceEntity
{
    public required string Id { get; set; }
    public required string Host { get; set; }
    public int ProcessId { get; set; }
    public DateTime StartedAt { get; set; }
    public long ConfigVersion { get; set; }
    public required string ConfigSource { get; set; }
    public DateTime? LastChangeAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
}
