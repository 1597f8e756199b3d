namespace Modelgate.Core.Secrets;

/// <summary>
/// Where a secret is stored (table, column, row id). It is bound into the ciphertext as associated data,
/// so a ciphertext only decrypts in the place it was written for.
/// </summary>
public readonly record struct SecretContext(string Table, string Column, string RowId)
{
    public static SecretContext ProviderApiKey(Guid providerId) => new("llm_providers", "api_key", providerId.ToString("D"));

    /// <summary>The admin console's session-signing keys (ASP.NET Core Data Protection), one context for the ring.</summary>
    public static readonly SecretContext DataProtectionKeyRing = new("data_protection_keys", "xml", "key-ring");

    public override string ToString() => $"{Table}.{Column}[{RowId}]";
}
