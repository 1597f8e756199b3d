namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>settings</c>: small server-wide values such as the admin token's hash.</summary>
public sealed class SettingEntity
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}
