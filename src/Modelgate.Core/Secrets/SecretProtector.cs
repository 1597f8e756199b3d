using System.Security.Cryptography;
using System.Text;

namespace Modelgate.Core.Secrets;

/// <summary>
/// Encrypts secrets with AES-256-GCM under the current master key. A ciphertext reads
/// <c>mg1.&lt;key id&gt;.&lt;base64url(nonce | ciphertext | tag)&gt;</c>; the associated data binds it to its
/// table, column, row and key id.
/// </summary>
public sealed class SecretProtector(MasterKeyStore keys)
{
    private const string Prefix = "mg1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Protect(string plaintext, SecretContext context)
    {
        var key = keys.Current.Primary;
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), AssociatedData(context, key.Id));
        CryptographicOperations.ZeroMemory(plain);
        return $"{Prefix}.{key.Id}.{Base64Url(output)}";
    }

    public string Unprotect(string ciphertext, SecretContext context)
    {
        var parts = ciphertext.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            throw new SecretDecryptionException($"The secret stored in {context} is not in Modelgate's encrypted format.");
        }

        if (!keys.IsLoaded)
        {
            throw new SecretDecryptionException($"The secret stored in {context} cannot be decrypted: no master key is configured (set MODELGATE_MASTER_KEY or provide the key file).");
        }

        // Another process sharing the key file may have rotated it: look at the file once more before giving up.
        var key = keys.Current.Find(parts[1]) ?? keys.Reload()?.Find(parts[1])
            ?? throw new SecretDecryptionException($"The secret stored in {context} was encrypted with master key {parts[1]}, which is not configured.");
        byte[] data;
        try
        {
            data = Convert.FromBase64String(FromBase64Url(parts[2]));
        }
        catch (FormatException)
        {
            throw new SecretDecryptionException($"The secret stored in {context} is damaged.");
        }

        if (data.Length < NonceSize + TagSize)
        {
            throw new SecretDecryptionException($"The secret stored in {context} is damaged.");
        }

        var cipherLength = data.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, cipherLength), data.AsSpan(NonceSize + cipherLength), plain, AssociatedData(context, key.Id));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretDecryptionException($"The secret stored in {context} failed its integrity check: it was altered or belongs to another row.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>The id of the master key a ciphertext was made with, or null when it is not one of ours.</summary>
    public static string? KeyIdOf(string ciphertext)
    {
        var parts = ciphertext.Split('.');
        return parts.Length == 3 && parts[0] == Prefix ? parts[1] : null;
    }

    private static byte[] AssociatedData(SecretContext context, string keyId) =>
        Encoding.UTF8.GetBytes($"modelgate/{Prefix}|{context.Table}|{context.Column}|{context.RowId}|{keyId}");

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
