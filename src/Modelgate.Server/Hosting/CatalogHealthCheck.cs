using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Hosting;

/// <summary>Degraded while resolution serves the last-known-good snapshot because the database is unreachable.</summary>
internal sealed class CatalogHealthCheck(CurrentCatalog catalog, CatalogMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = catalog.State;
        var data = new Dictionary<string, object> { ["catalog_version"] = state.Snapshot.Version, ["source"] = state.Origin.ToName() };
        return Task.FromResult(state.Origin == ResolutionSource.LastKnownGood || !monitor.DatabaseReachable
            ? HealthCheckResult.Degraded($"The catalog database is unreachable; serving last-known-good catalog v{state.Snapshot.Version}.", data: data)
            : HealthCheckResult.Healthy($"Catalog v{state.Snapshot.Version} from the database.", data));
    }
}
