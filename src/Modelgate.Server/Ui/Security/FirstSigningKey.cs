using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Makes sure a fleet starting together on a fresh database shares one session-signing key. Left alone, each
/// instance would create its own and not see the others' for up to a day, refusing the sessions they issued.
/// The first instance to claim the job (a row in <c>settings</c>) creates the key; the others wait for it.
/// </summary>
internal sealed class FirstSigningKey(IKeyManager keyManager, DataProtectionKeyStore keys, SettingsStore settings, InstanceRegistry instance, TimeProvider time)
{
    public const string ClaimSetting = "console.first_signing_key";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (keys.Any())
        {
            return;
        }

        if (await settings.GetOrAddAsync(ClaimSetting, instance.InstanceId, cancellationToken) != instance.InstanceId)
        {
            for (var waited = TimeSpan.Zero; waited < Wait; waited += TimeSpan.FromMilliseconds(100))
            {
                await Task.Delay(100, cancellationToken);
                if (keys.Any())
                {
                    return;
                }
            }

            // The instance that claimed it stopped before making the key: make it here.
        }

        var now = time.GetUtcNow();
        keyManager.CreateNewKey(now, now.AddDays(90));
    }
}
