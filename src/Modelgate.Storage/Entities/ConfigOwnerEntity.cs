namespace Modelgate.Storage.Entities;

/// <summary>
/// The one row of <c>config_owner</c>: the configuration file applied last, its SHA-256, and the objects it owns
/// (a JSON list of <c>kind:name</c>). No row: no file owns anything.
/// </summary>
public sealed class ConfigOwnerEntity
{
    public int Id { get; set; }
    public required string Source { get; set; }
    public required string Sha256 { get; set; }
    public required string Objects { get; set; }
    public DateTime AppliedAt { get; set; }
}
