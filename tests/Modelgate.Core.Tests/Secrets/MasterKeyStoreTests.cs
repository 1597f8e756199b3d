using Modelgate.Core.Secrets;
using Modelgate.Testing;

namespace Modelgate.Core.Tests.Secrets;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MasterKeyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string KeyFile => Path.Combine(_dir.Path, "master.key");

    [Fact]
    public void TryLoad_NoKeyAnywhere_CreatesAnOwnerOnlyKeyFile()
    {
        var store = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile });

        Assert.True(store.TryLoad(createIfMissing: true));

        Assert.True(File.Exists(KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(MasterKeySourceKind.KeyFile, store.Current.Source);
    }

    [Fact]
    public void TryLoad_NoKeyAndCreationNotAllowed_ReturnsFalseAndWritesNothing()
    {
        var store = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile });

        Assert.False(store.TryLoad(createIfMissing: false));
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void TryLoad_KeyFileFromEarlierRun_LoadsTheSameKey()
    {
        var first = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile });
        first.TryLoad(createIfMissing: true);

        var second = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile });
        Assert.True(second.TryLoad(createIfMissing: false));

        Assert.Equal(first.Current.Primary.Id, second.Current.Primary.Id);
    }

    [Fact]
    public void TryLoad_EnvironmentKey_WinsOverKeyFile()
    {
        new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile }).TryLoad(createIfMissing: true);
        var env = MasterKey.Generate();

        var store = new MasterKeyStore(new MasterKeyOptions { EnvironmentKey = env.ToBase64(), KeyFilePath = KeyFile });
        store.TryLoad(createIfMissing: false);

        Assert.Equal(env.Id, store.Current.Primary.Id);
        Assert.Equal(MasterKeySourceKind.Environment, store.Current.Source);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("AAAA")]
    public void TryLoad_MalformedEnvironmentKey_ThrowsWithHowToFix(string key)
    {
        var store = new MasterKeyStore(new MasterKeyOptions { EnvironmentKey = key, KeyFilePath = KeyFile });

        var error = Assert.Throws<MasterKeyException>(() => store.TryLoad(createIfMissing: false));

        Assert.Contains("MODELGATE_MASTER_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_KeepsOldKeyUntilCompleted_ThenForgetsIt()
    {
        var store = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile });
        store.TryLoad(createIfMissing: true);
        var old = store.Current.Primary.Id;

        var during = store.BeginRotation();
        Assert.NotEqual(old, during.Primary.Id);
        Assert.NotNull(during.Find(old));
        var reloaded = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = KeyFile });
        reloaded.TryLoad(createIfMissing: false);
        Assert.NotNull(reloaded.Current.Find(old));

        store.CompleteRotation();
        Assert.Null(store.Current.Find(old));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
    }

    public void Dispose() => _dir.Dispose();
}
