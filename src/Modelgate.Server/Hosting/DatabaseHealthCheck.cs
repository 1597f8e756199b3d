using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modelgate.Storage;

namespace Modelgate.Server.Hosting;

/// <summary>Healthy when the catalog database answers.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<ModelgateDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        // Degraded, not down: resolution goes on from the last-known-good snapshot meanwhile.
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "The catalog database does not answer.");
    }
}
