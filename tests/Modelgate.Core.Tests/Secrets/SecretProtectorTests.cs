using Modelgate.Core.Secrets;
using Modelgate.Testing;

namespace Modelgate.Core.Tests.Secrets;

public sealed class SecretProtectorTests : IDisposable
{
    private const string Key = "sk-ant-api03-SECRET-abcdefghijklmnopqrstuvwxyz-XwAA";
    private readonly TempDirectory _dir = new();

    private MasterKeyStore NewStore(string? envKey = null, string? previous = null)
    {
        var store = new MasterKeyStore(new MasterKeyOptions { EnvironmentKey = envKey, PreviousKeys = previous, KeyFilePath = Path.Combine(_dir.Path, "master.key") });
        Assert.True(store.TryLoad(createIfMissing: true));
        return store;
    }

    [Fact]
    public void Protect_ThenUnprotectForSameRow_ReturnsThePlaintext()
    {
        var protector = new SecretProtector(NewStore());
        var row = SecretContext.ProviderApiKey(Guid.NewGuid());

        var ciphertext = protector.Protect(Key, row);

        Assert.DoesNotContain("SECRET", ciphertext, StringComparison.Ordinal);
        Assert.StartsWith("mg1.", ciphertext, StringComparison.Ordinal);
        Assert.Equal(Key, protector.Unprotect(ciphertext, row));
    }

    [Fact]
    public void Protect_SameKeyTwice_GivesDifferentCiphertexts()
    {
        var protector = new SecretProtector(NewStore());
        var row = SecretContext.ProviderApiKey(Guid.NewGuid());

        Assert.NotEqual(protector.Protect(Key, row), protector.Protect(Key, row));
    }

    [Fact]
    public void Unprotect_CiphertextCopiedToAnotherRow_FailsClosed()
    {
        var protector = new SecretProtector(NewStore());
        var ciphertext = protector.Protect(Key, SecretContext.ProviderApiKey(Guid.NewGuid()));
        var otherRow = SecretContext.ProviderApiKey(Guid.NewGuid());

        var error = Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(ciphertext, otherRow));

        Assert.Contains("another row", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_FailsClosed()
    {
        var protector = new SecretProtector(NewStore());
        var row = SecretContext.ProviderApiKey(Guid.NewGuid());
        var ciphertext = protector.Protect(Key, row);
        var payload = ciphertext[^10..];
        var flipped = ciphertext[..^10] + (payload[0] == 'A' ? 'B' : 'A') + payload[1..];

        Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(flipped, row));
    }

    [Fact]
    public void Unprotect_WithADifferentMasterKey_FailsNamingTheMissingKey()
    {
        var row = SecretContext.ProviderApiKey(Guid.NewGuid());
        var first = NewStore(MasterKey.Generate().ToBase64());
        var ciphertext = new SecretProtector(first).Protect(Key, row);
        var other = new SecretProtector(NewStore(MasterKey.Generate().ToBase64()));

        var error = Assert.Throws<SecretDecryptionException>(() => other.Unprotect(ciphertext, row));

        Assert.Contains(first.Current.Primary.Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_WithOldKeyListedAsPrevious_StillDecrypts()
    {
        var row = SecretContext.ProviderApiKey(Guid.NewGuid());
        var old = MasterKey.Generate().ToBase64();
        var ciphertext = new SecretProtector(NewStore(old)).Protect(Key, row);

        var rotated = new SecretProtector(NewStore(MasterKey.Generate().ToBase64(), previous: old));

        Assert.Equal(Key, rotated.Unprotect(ciphertext, row));
    }

    public void Dispose() => _dir.Dispose();
}
