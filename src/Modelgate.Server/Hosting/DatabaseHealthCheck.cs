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
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The catalog database does not answer.");
    }
}
