using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// The virtual key a direct-mode application names (<c>ModelgateClientOptions.VirtualKey</c>): every call is admitted
/// as a gateway call with that key would be (<see cref="KeyAdmission"/>: usable, within its budget, allowed the purpose
/// and model, only allowed fallbacks), and recorded as that key's, so it counts against the key's budget on every
/// instance. The key is looked up by name in the catalog in effect, so revoking it or changing its allow-lists or
/// budget applies to the next call.
/// </summary>
public sealed class KeyScope(string keyName, CurrentCatalog catalog, IKeySpend spend, TimeProvider time)
{
    private Found? _found;

    /// <summary>
    /// The key and the models of <paramref name="chain"/> it may call, in order. Throws
    /// <see cref="ModelgateConfigurationException"/> for what the application or an administrator must fix (an unknown,
    /// revoked or expired key, a purpose or model the key may not use) and <see cref="ModelgateProviderException"/>
    /// with status 429 when the key has spent its budget.
    /// </summary>
    public (VirtualKey Key, IReadOnlyList<ResolvedModel> Chain) Admit(Purpose purpose, IReadOnlyList<ResolvedModel> chain)
    {
        var key = Find(purpose);
        var now = time.GetUtcNow();
        var refusal = KeyAdmission.Usable(key, now) ?? KeyAdmission.WithinBudget(spend.StateOf(key), now);
        if (refusal is null)
        {
            (var admitted, refusal) = KeyAdmission.Chain(key, purpose.Name, chain);
            if (admitted is not null)
            {
                return (key, admitted);
            }
        }

        throw refusal!.Status == 429
            ? new ModelgateProviderException(
                purpose.Name, null, null, 429, $"Virtual key '{keyName}': {refusal.Message}", new InvalidOperationException(refusal.Code))
            : new ModelgateConfigurationException(purpose.Name, $"Virtual key '{keyName}': {refusal.Message}");
    }

    /// <summary>The purpose's chain now, narrowed to what <paramref name="key"/> may call (the whole chain without a key).</summary>
    public static (VirtualKey? Key, IReadOnlyList<ResolvedModel> Chain) Chain(KeyScope? key, ModelResolver resolver, Purpose purpose)
    {
        var chain = resolver.Chain(purpose);
        return key is null ? (null, chain) : key.Admit(purpose, chain);
    }

    // Looked up once per catalog version. A name reused after a rotation (the old key revoked, a new one made) means
    // the usable key; only two usable keys of one name are ambiguous.
    private VirtualKey Find(Purpose purpose)
    {
        var snapshot = catalog.State.Snapshot;
        var found = Volatile.Read(ref _found);
        if (found?.Version != snapshot.Version)
        {
            var named = snapshot.VirtualKeys.Values.Where(k => k.Name == keyName).ToList();
            var usable = named.Where(k => k.Unusable(time.GetUtcNow()) is null).ToList();
            var candidates = usable.Count > 0 ? usable : named;
            found = new Found(snapshot.Version, candidates.Count == 1 ? candidates[0] : null, candidates.Count);
            Volatile.Write(ref _found, found);
        }

        return found.Key ?? throw new ModelgateConfigurationException(purpose.Name, found.Matches == 0
            ? $"Virtual key '{keyName}' is not in the catalog: create it (POST /api/v1/keys) or correct ModelgateClientOptions.VirtualKey."
            : $"{found.Matches} virtual keys are named '{keyName}': give the key this application uses a name of its own.");
    }

    private sealed record Found(long Version, VirtualKey? Key, int Matches);
}
