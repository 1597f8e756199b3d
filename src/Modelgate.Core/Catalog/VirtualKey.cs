using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>A spending limit per period; null: none.</summary>
    public Budget? Budget { get; init; }

    /// <summary>
    /// The key's own requests and tokens per minute and requests in flight at once; its <see cref="RateLimits.Shadow"/>
    /// may also name <see cref="LimitKinds.Budget"/>, to count the budget without enforcing it.
    /// </summary>
    public RateLimits Limits { get; init; } = RateLimits.None;

    /// <summary>A new secret and what is stored of it. The secret is returned to the administrator once, never stored.</summary>
    public static (string Secret, string Hash, string Prefix) NewSecret()
    {
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, Hash(secret), secret[..10]);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Finds the key a caller presented among <paramref name="keys"/> (by hash) without allocating.</summary>
    public static bool TryFind(FrozenDictionary<string, VirtualKey> keys, ReadOnlySpan<char> secret, [NotNullWhen(true)] out VirtualKey? key)
    {
        key = null;
        if (secret.Length > 256)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(digest, hex, out _);
        return keys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hex, out key);
    }

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
