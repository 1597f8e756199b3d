using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modelgate.Core.Limits;
using Modelgate.Storage.Limits;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Redis, where the fleet's limits are counted: healthy when it answers a PING within a second; degraded otherwise,
/// saying what limits do meanwhile (the policy of <c>MODELGATE_LIMITS_WITHOUT_REDIS</c>).
/// </summary>
internal sealed class SharedLimitsHealthCheck(RedisLimitCounters redis, FleetLimitCounters counters) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await redis.PingAsync(TimeSpan.FromSeconds(1), cancellationToken))
        {
            return HealthCheckResult.Healthy("Limits are counted in Redis, shared by every instance.");
        }

        var meanwhile = counters.Policy switch
        {
            SharedCountersPolicy.Local => "each instance counts its share of each limit in process",
            SharedCountersPolicy.Allow => "calls are admitted uncounted",
            _ => "calls a limit applies to are refused",
        };
        return HealthCheckResult.Degraded($"Redis, where limits are counted, does not answer: {meanwhile} (policy '{counters.Policy.ToString().ToLowerInvariant()}').");
    }
}
