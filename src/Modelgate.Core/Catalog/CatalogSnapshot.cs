using System.Collections.Frozen;

namespace Modelgate.Core.Catalog;

/// <summary>
/// The whole catalog at one version: immutable, so readers share it without locks and a change is a new
/// snapshot swapped in whole. Built once per change; lookups are frozen dictionaries.
/// </summary>
public sealed class CatalogSnapshot
{
    public CatalogSnapshot(
        long version,
        DateTimeOffset publishedAt,
        IEnumerable<ProviderConfig> providers,
        IEnumerable<ModelDefinition> models,
        IReadOnlyDictionary<string, Guid> defaults,
        IEnumerable<VirtualKey>? virtualKeys = null,
        IReadOnlyDictionary<string, Guid[]>? fallbacks = null,
        IEnumerable<ModelAlias>? aliases = null,
        IEnumerable<Experiment>? experiments = null)
    {
        Version = version;
        PublishedAt = publishedAt;
        Providers = providers.ToFrozenDictionary(p => p.Id);
        Models = models.ToFrozenDictionary(m => m.Id);
        Defaults = defaults.ToFrozenDictionary(StringComparer.Ordinal);
        VirtualKeys = (virtualKeys ?? []).ToFrozenDictionary(k => k.KeyHash, StringComparer.Ordinal);
        Fallbacks = (fallbacks ?? new Dictionary<string, Guid[]>()).ToFrozenDictionary(StringComparer.Ordinal);
        Aliases = (aliases ?? []).ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
        Experiments = (experiments ?? []).ToFrozenDictionary(e => e.Id);
    }

    /// <summary>The same catalog, owned by <paramref name="managed"/>.</summary>
    public CatalogSnapshot WithManaged(ManagedObjects managed) =>
        new(Version, PublishedAt, Providers.Values, Models.Values, Defaults, VirtualKeys.Values, Fallbacks, Aliases.Values, Experiments.Values) { Managed = managed };

    /// <summary>An empty catalog (nothing configured yet), version 0.</summary>
    public static CatalogSnapshot Empty { get; } = new(0, DateTimeOffset.UnixEpoch, [], [], new Dictionary<string, Guid>());

    /// <summary>Increases by one with every published change.</summary>
    public long Version { get; }

    public DateTimeOffset PublishedAt { get; }

    public FrozenDictionary<Guid, ProviderConfig> Providers { get; }

    public FrozenDictionary<Guid, ModelDefinition> Models { get; }

    /// <summary>Purpose name → model id, exactly as stored (agent types without a row fall back at resolution).</summary>
    public FrozenDictionary<string, Guid> Defaults { get; }

    /// <summary>Per purpose, the models to try in order when its default fails before answering.</summary>
    public FrozenDictionary<string, Guid[]> Fallbacks { get; }

    /// <summary>Aliases by name: other names clients may send as <c>model</c>, each for one model.</summary>
    public FrozenDictionary<string, ModelAlias> Aliases { get; }

    /// <summary>Experiments by id, running and stopped (a stopped one routes nothing but keeps its history).</summary>
    public FrozenDictionary<Guid, Experiment> Experiments { get; }

    /// <summary>What a configuration file owns (see <see cref="ManagedObjects"/>); <see cref="ManagedObjects.None"/> when no file was applied.</summary>
    public ManagedObjects Managed { get; init; } = ManagedObjects.None;

    /// <summary>Gateway keys by the SHA-256 of their secret: a revocation travels to every instance like any change.</summary>
    public FrozenDictionary<string, VirtualKey> VirtualKeys { get; }
}
