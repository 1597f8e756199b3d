using System.Security.Cryptography;
using Modelgate.Server.Hosting;
using Modelgate.Storage;

namespace Modelgate.Server.Auth;

/// <summary>
/// Decides the admin token at start: <c>MODELGATE_ADMIN_TOKEN</c> if set; else the token whose hash is stored;
/// else a new one, printed once to the console (never to the log) with only its hash stored.
/// </summary>
internal sealed class AdminTokenBootstrapper(ModelgateSettings settings, SettingsStore store, AdminTokenVerifier verifier, AdminConsole console)
{
    internal const string HashSetting = "admin_token_sha256";
    internal const string HashFileName = "admin-token.sha256";

    private string HashFile => Path.Combine(settings.DataDirectory, HashFileName);

    /// <summary>
    /// While the database is unreachable at start: the configured token, or the hash last seen in the database
    /// (kept in the data folder), so the admin API can still be read.
    /// </summary>
    public void InitializeOffline()
    {
        if (settings.AdminToken is { } configured)
        {
            verifier.Accept(AdminTokenVerifier.Hash(configured));
        }
        else if (File.Exists(HashFile) && File.ReadAllText(HashFile).Trim() is { Length: 64 } hash)
        {
            verifier.Accept(Convert.FromHexString(hash));
        }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (settings.AdminToken is { } configured)
        {
            verifier.Accept(AdminTokenVerifier.Hash(configured));
            return;
        }

        if (await store.GetAsync(HashSetting, cancellationToken) is { } storedHash)
        {
            verifier.Accept(Convert.FromHexString(storedHash));
            RememberHash(storedHash);
            return;
        }

        var token = "mgadm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = Convert.ToHexStringLower(AdminTokenVerifier.Hash(token));
        var inForce = await store.GetOrAddAsync(HashSetting, hash, cancellationToken);
        verifier.Accept(Convert.FromHexString(inForce));
        RememberHash(inForce);
        if (inForce == hash)
        {
            console.Writer.WriteLine();
            console.Writer.WriteLine("  Modelgate generated an admin token. It is shown only this once; only its hash is stored:");
            console.Writer.WriteLine();
            console.Writer.WriteLine($"      {token}");
            console.Writer.WriteLine();
            console.Writer.WriteLine("  Use it as 'Authorization: Bearer <token>' for /api/v1. Set MODELGATE_ADMIN_TOKEN to choose your own.");
            console.Writer.WriteLine();
            console.Writer.Flush();
        }
    }

    // Only the hash (never the token) goes to disk, owner-only.
    private void RememberHash(string hash)
    {
        try
        {
            Directory.CreateDirectory(settings.DataDirectory);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(HashFile, System.Text.Encoding.ASCII, options);
            writer.Write(hash);
        }
        catch (IOException)
        {
            // Only a convenience for starting while the database is down.
        }
    }
}

/// <summary>Where the one-time token announcement goes: standard output, bypassing the log pipeline.</summary>
internal sealed class AdminConsole(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}
