using System.Security.Cryptography;

namespace Modelgate.Core.Secrets;

/// <summary>A 256-bit key that encrypts provider secrets, identified by a fingerprint that reveals nothing of it.</summary>
public sealed class MasterKey
{
    public const int SizeInBytes = 32;
    private readonly byte[] _key;

    public MasterKey(byte[] key)
    {
        if (key.Length != SizeInBytes)
        {
            throw new ArgumentException($"A master key must be {SizeInBytes} bytes (256 bits); got {key.Length}.", nameof(key));
        }

        _key = [.. key];
        Id = Convert.ToHexStringLower(SHA256.HashData(_key))[..12];
    }

    /// <summary>The first 12 hex digits of the key's SHA-256: stored with each ciphertext to find its key.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes => _key;

    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(SizeInBytes));

    /// <summary>Parses a key given as base64 (44 characters) or hex (64 characters).</summary>
    public static MasterKey Parse(string text, string source)
    {
        var trimmed = text.Trim();
        byte[]? bytes = null;
        if (trimmed.Length == SizeInBytes * 2 && trimmed.All(char.IsAsciiHexDigit))
        {
            bytes = Convert.FromHexString(trimmed);
        }
        else
        {
            var buffer = new byte[SizeInBytes + 3];
            if (Convert.TryFromBase64String(trimmed, buffer, out var written) && written == SizeInBytes)
            {
                bytes = buffer[..SizeInBytes];
            }
        }

        return bytes is null
            ? throw new MasterKeyException($"The master key in {source} is not 32 bytes in base64 or hex. Generate one with: openssl rand -base64 32")
            : new MasterKey(bytes);
    }

    public string ToBase64() => Convert.ToBase64String(_key);

    public override string ToString() => $"MasterKey {Id}";
}
