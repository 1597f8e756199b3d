using Microsoft.Extensions.Logging;
using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;

namespace Modelgate.Core.Resolution;

/// <summary>
/// Holds the catalog in effect and swaps it atomically. Readers take <see cref="State"/> without a lock and
/// always see one whole snapshot; writers (local changes, change notifications, polls) call <see cref="Apply"/>,
/// which never goes back to an older version.
/// </summary>
public sealed partial class CurrentCatalog
{
    private readonly SecretProtector _protector;
    private readonly EnvironmentFallback _environment;
    private readonly ILogger<CurrentCatalog> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _applyLock = new();
    private volatile CatalogState _state;

    public CurrentCatalog(SecretProtector protector, EnvironmentFallback environment, ILogger<CurrentCatalog> logger, TimeProvider time)
    {
        _protector = protector;
        _environment = environment;
        _logger = logger;
        _time = time;
        _state = new CatalogState(CatalogSnapshot.Empty, ResolutionSource.Database, new ResolutionTable(CatalogSnapshot.Empty, ResolutionSource.Database, protector, environment), time.GetUtcNow());
    }

    public CatalogState State => _state;

    /// <summary>Raised after a new state is in effect (on the applying thread).</summary>
    public event Action<CatalogState>? Changed;

    /// <summary>
    /// Puts the snapshot in effect unless a newer one already is. Reapplying the same version with another
    /// origin (e.g. the database is back after serving last-known-good) is a change too.
    /// </summary>
    /// <param name="snapshot">The catalog to put in effect.</param>
    /// <param name="origin">Where it came from (the database, or the last-known-good file).</param>
    /// <param name="replacesNewer">
    /// Accept a lower version: the database holds less than this process has seen (restored from a backup, or a new
    /// database behind the same data folder), and the database is the truth.
    /// </param>
    public bool Apply(CatalogSnapshot snapshot, ResolutionSource origin, bool replacesNewer = false)
    {
        CatalogState next;
        lock (_applyLock)
        {
            var current = _state;
            var older = snapshot.Version < current.Snapshot.Version && !replacesNewer;
            if (older || (snapshot.Version == current.Snapshot.Version && origin == current.Origin && current.Snapshot.Version > 0))
            {
                return false;
            }

            next = new CatalogState(snapshot, origin, new ResolutionTable(snapshot, origin, _protector, _environment), _time.GetUtcNow());
            _state = next;
            LogChanges(current, next);
        }

        Changed?.Invoke(next);
        return true;
    }

    private void LogChanges(CatalogState previous, CatalogState next)
    {
        var before = previous.Resolutions.Known.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        var after = next.Resolutions.Known.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        foreach (var purpose in before.Keys.Except(after.Keys))
        {
            // An agent type lost its own default: say what it resolves to now.
            after[purpose] = next.Resolutions.Entry(Purpose.TryParse(purpose, out var p, out _) ? p : Purpose.Agents);
        }

        foreach (var (purpose, entry) in after)
        {
            var was = before.GetValueOrDefault(purpose);
            if (was is not null && (was.Model, entry.Model) switch
            {
                (null, null) => true,
                ({ } a, { } b) => a.SameTargetAs(b),
                _ => false,
            })
            {
                continue;
            }

            if (entry.Model is { } model)
            {
                LogResolved(_logger, purpose, model.Source.ToName(), model.Provider.Name, model.Model.ModelId, next.Snapshot.Version);
            }
            else
            {
                LogUnresolved(_logger, purpose, next.Snapshot.Version, entry.Error!);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purpose {Purpose} now resolves from {Source} to {Provider}/{Model} (catalog v{Version})")]
    private static partial void LogResolved(ILogger logger, string purpose, string source, string provider, string model, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purpose {Purpose} cannot be resolved (catalog v{Version}): {Error}")]
    private static partial void LogUnresolved(ILogger logger, string purpose, long version, string error);
}
