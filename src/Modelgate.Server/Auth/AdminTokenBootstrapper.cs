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
            return;
        }

        var token = "mgadm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = Convert.ToHexStringLower(AdminTokenVerifier.Hash(token));
        var inForce = await store.GetOrAddAsync(HashSetting, hash, cancellationToken);
        verifier.Accept(Convert.FromHexString(inForce));
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
}

/// <summary>Where the one-time token announcement goes: standard output, bypassing the log pipeline.</summary>
internal sealed class AdminConsole(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}
