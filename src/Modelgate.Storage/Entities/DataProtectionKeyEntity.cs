namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>data_protection_keys</c>: one ASP.NET Core Data Protection key (signs admin sessions and CSRF tokens),
/// stored here so every instance on the database shares it. The XML is encrypted with the master key.
/// </summary>
public sealed class DataProtectionKeyEntity
{
    public int Id { get; set; }
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
    public DateTime CreatedAt { get; set; }
}
