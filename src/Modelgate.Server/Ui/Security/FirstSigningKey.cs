using System.Globalization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Makes sure a fleet starting together on a fresh database shares one session-signing key. Left alone, each
/// instance would create its own and not see the others' for up to a day, refusing the sessions they issued.
/// The first instance to claim the job (a row in <c>settings</c>: its id and the time) creates the key; the others
/// wait for it. A claim left by an instance that stopped before making the key is taken over once it is a minute old.
/// </summary>
internal sealed class FirstSigningKey(IKeyManager keyManager, SettingsStore settings, InstanceRegistry instance, TimeProvider time)
{
    public const string ClaimSetting = "console.first_signing_key";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(1);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (HasUsableKey())
        {
            return;
        }

        var now = time.GetUtcNow();
        var mine = $"{instance.InstanceId} {now.UtcTicks.ToString(CultureInfo.InvariantCulture)}";
        var claim = await settings.GetOrAddAsync(ClaimSetting, mine, cancellationToken);
        if (claim != mine && !IsStale(claim, now))
        {
            for (var waited = TimeSpan.Zero; waited < Wait; waited += TimeSpan.FromMilliseconds(100))
            {
                await Task.Delay(100, cancellationToken);
                if (HasUsableKey())
                {
                    return;
                }
            }
        }

        // Ours, or its owner never made the key: make it here.
        keyManager.CreateNewKey(now, now.AddDays(90));
    }

    private bool HasUsableKey()
    {
        var now = time.GetUtcNow();
        return keyManager.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now);
    }

    private static bool IsStale(string claim, DateTimeOffset now) =>
        claim.Split(' ') is [_, var ticks] && long.TryParse(ticks, NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
            ? now - new DateTimeOffset(at, TimeSpan.Zero) > StaleClaim
            : true;
}
