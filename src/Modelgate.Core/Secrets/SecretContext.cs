namespace Modelgate.Core.Secrets;

/// <summary>
/// Where a secret is stored (table, column, row id). It is bound into the ciphertext as associated data,
/// so a ciphertext only decrypts in the place it was written for.
/// </summary>
public readonly record struct SecretContext(string Table, string Column, string RowId)
{
    public static SecretContext ProviderApiKey(Guid providerId) => new("llm_providers", "api_key", providerId.ToString("D"));

    public override string ToString() => $"{Table}.{Column}[{RowId}]";
}
