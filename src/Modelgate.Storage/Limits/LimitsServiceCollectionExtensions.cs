using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Limits;
using StackExchange.Redis;

namespace Modelgate.Storage.Limits;

/// <summary>Registers limit counters shared by a fleet on Redis, for the server and for direct-mode applications alike.</summary>
public static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// Counts limits in Redis at <paramref name="redis"/> (a StackExchange.Redis configuration string, e.g.
    /// <c>127.0.0.1:6379,password=…</c>), deciding by <paramref name="policy"/> while it is out of reach; under
    /// <see cref="SharedCountersPolicy.Local"/> each instance then takes the share <paramref name="instances"/> says
    /// (how many instances share the limits). Register it before the pipeline, which otherwise counts in process.
    /// The connection is made without waiting for Redis: an instance starts, and decides by the policy, while Redis is down.
    /// </summary>
    public static IServiceCollection AddModelgateSharedLimits(
        this IServiceCollection services, string redis, SharedCountersPolicy policy, Func<IServiceProvider, Func<int>> instances)
    {
        services.AddSingleton(_ => RedisLimitCounters.Connect(redis));
        services.AddSingleton(sp => Fleet(sp, sp.GetRequiredService<RedisLimitCounters>(), policy, instances(sp)));
        services.AddSingleton<ILimitCounters>(sp => sp.GetRequiredService<FleetLimitCounters>());
        return services;
    }

    /// <summary>The fleet's counters on <paramref name="shared"/>, deciding by <paramref name="policy"/> while it is out of reach.</summary>
    public static FleetLimitCounters Fleet(IServiceProvider services, ILimitCounters shared, SharedCountersPolicy policy, Func<int> instances) =>
        new(shared, new InProcessLimitCounters(services.GetRequiredService<TimeProvider>(), instances), policy,
            services.GetRequiredService<ILogger<FleetLimitCounters>>(), services.GetService<System.Diagnostics.Metrics.IMeterFactory>());

    /// <summary>
    /// The connection's options: never fail at start for want of Redis, fail a command at once while disconnected (the
    /// policy decides then, rather than a call waiting), and give up on a command after 1 s unless the string says otherwise.
    /// </summary>
    public static ConfigurationOptions Options(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "modelgate";
        if (!redis.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = 1_000;
        }

        if (!redis.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.ConnectTimeout = 2_000;
        }

        return options;
    }
}
