using System.Security.Cryptography;
using System.Text;

namespace Modelgate.Core.Catalog;

/// <summary>
/// A gateway caller's key as the catalog knows it: only the SHA-256 of the secret (secrets are 256-bit random, so a
/// fast hash is enough) and a short prefix to recognise it. Empty allow-lists allow everything.
/// </summary>
public sealed record VirtualKey(
    Guid Id,
    string Name,
    string KeyHash,
    string KeyPrefix,
    IReadOnlyList<string> AllowedPurposes,
    IReadOnlyList<string> AllowedModels,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset CreatedAt)
{
    public const string SecretPrefix = "mg-";

    /// <summary>A new secret and what is stored of it. The secret is returned to the administrator once, never stored.</summary>
    public static (string Secret, string Hash, string Prefix) NewSecret()
    {
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, Hash(secret), secret[..10]);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether the key may be used at <paramref name="now"/>, and if not, why (for a 401 message).</summary>
    public string? Unusable(DateTimeOffset now) =>
        RevokedAt is not null ? "the API key was revoked"
        : ExpiresAt is { } expiry && expiry <= now ? $"the API key expired at {expiry:u}"
        : null;

    /// <summary>Whether this key may use the purpose (and the model it resolves to).</summary>
    public bool Allows(string purpose, string? modelId) =>
        (AllowedPurposes.Count == 0 || AllowedPurposes.Contains(purpose) || (purpose.StartsWith("agents/", StringComparison.Ordinal) && AllowedPurposes.Contains("agents/*")))
        && (AllowedModels.Count == 0 || modelId is null || AllowedModels.Contains(modelId));

    /// <summary>Never shows the hash.</summary>
    public override string ToString() => $"VirtualKey {{ Id = {Id}, Name = {Name}, Prefix = {KeyPrefix}... }}";
}
