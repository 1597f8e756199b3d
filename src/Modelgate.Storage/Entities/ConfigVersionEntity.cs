namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>config_versions</c>: one published catalog snapshot (gzipped JSON, keys still encrypted),
/// who published it and a one-line summary of the change.
/// </summary>
public sealed class ConfigVersionEntity
{
    public long Version { get; set; }
    public DateTime PublishedAt { get; set; }
    public required string Actor { get; set; }
    public required string Summary { get; set; }
    public required byte[] Snapshot { get; set; }
}
