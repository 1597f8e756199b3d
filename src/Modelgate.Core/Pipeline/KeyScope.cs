using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
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
    public (VirtualKey Key, IReadOnlyList<ResolvedModel> Chain) Admit(string target, IReadOnlyList<ResolvedModel> chain)
    {
        var key = Find(target);
        var now = time.GetUtcNow();
        var refusal = KeyAdmission.Usable(key, now) ?? KeyAdmission.WithinBudget(spend.StateOf(key), now);
        if (refusal is null)
        {
            (var admitted, refusal) = KeyAdmission.Chain(key, target, chain);
            if (admitted is not null)
            {
                return (key, admitted);
            }
        }

        throw refusal!.Status == 429
            ? new ModelgateProviderException(
                target, null, null, 429, $"Virtual key '{keyName}': {refusal.Message}", new InvalidOperationException(refusal.Code))
            : new ModelgateConfigurationException(target, $"Virtual key '{keyName}': {refusal.Message}");
    }

    /// <summary>
    /// Where a call for <paramref name="target"/> (a purpose or an alias) goes now (<see cref="ModelResolver.Route(string, in ExperimentUnit, DateTimeOffset)"/>:
    /// a live experiment assigns the variant by <paramref name="session"/>, the key or the call), its chain narrowed to what
    /// <paramref name="key"/> may call (the whole chain without a key).
    /// </summary>
    public static (VirtualKey? Key, Routing Routing) Route(KeyScope? key, ModelResolver resolver, string target, string? session, DateTimeOffset now)
    {
        var found = key?.Find(target);
        var routing = resolver.Route(target, new ExperimentUnit(session, found?.Id, Guid.NewGuid().ToString("N")), now);
        if (key is null)
        {
            return (null, routing);
        }

        try
        {
            var (admitted, chain) = key.Admit(target, routing.Chain);
            return (admitted, routing with { Chain = chain });
        }
        catch (ModelgateConfigurationException) when (routing.Arm is not null)
        {
            // As at the gateway: a key that may not use its assigned variant's models is served as if no experiment ran.
            var outside = routing.WithoutExperiment();
            var (admitted, chain) = key.Admit(target, outside.Chain);
            return (admitted, outside with { Chain = chain });
        }
    }

    // Looked up once per catalog version. A name reused after a rotation (the old key revoked, a new one made) means
    // the usable key; only two usable keys of one name are ambiguous.
    private VirtualKey Find(string target)
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

        return found.Key ?? throw new ModelgateConfigurationException(target, found.Matches == 0
            ? $"Virtual key '{keyName}' is not in the catalog: create it (POST /api/v1/keys) or correct ModelgateClientOptions.VirtualKey."
            : $"{found.Matches} virtual keys are named '{keyName}': give the key this application uses a name of its own.");
    }

    private sealed record Found(long Version, VirtualKey? Key, int Matches);
}
