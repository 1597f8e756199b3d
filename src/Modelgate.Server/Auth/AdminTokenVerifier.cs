using System.Security.Cryptography;
using System.Text;

namespace Modelgate.Server.Auth;

/// <summary>Checks presented admin tokens against the accepted hash in constant time.</summary>
internal sealed class AdminTokenVerifier
{
    private volatile byte[]? _expected;

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public void Accept(byte[] hash) => _expected = hash;

    /// <summary>Returns the actor name for a valid token (a fingerprint of its hash), or null.</summary>
    public string? Verify(string presented)
    {
        var expected = _expected;
        if (expected is null)
        {
            return null;
        }

        var hash = Hash(presented);
        return CryptographicOperations.FixedTimeEquals(hash, expected) ? ActorOf(hash) : null;
    }

    /// <summary>Whether an actor name still belongs to the accepted token (false once the token was changed).</summary>
    public bool IsCurrent(string actor) => _expected is { } expected && actor == ActorOf(expected);

    private static string ActorOf(byte[] hash) => "admin-token:" + Convert.ToHexStringLower(hash)[..8];
}
