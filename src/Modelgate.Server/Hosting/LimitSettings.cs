using Modelgate.Core.Limits;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Limits;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Where limits are counted (docs/configuration.md): in this instance, or — with <c>MODELGATE_REDIS</c> — in Redis,
/// shared by every instance, with <c>MODELGATE_LIMITS_WITHOUT_REDIS</c> (<c>local</c>, <c>allow</c> or <c>reject</c>)
/// deciding while Redis is out of reach. A bad value is an error at start, and never echoed (it may hold a password).
/// </summary>
internal static class LimitSettings
{
    public const string RedisSetting = "MODELGATE_REDIS";
    public const string PolicySetting = "MODELGATE_LIMITS_WITHOUT_REDIS";

    public static IServiceCollection AddModelgateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var policy = Policy(configuration[PolicySetting]);
        if (configuration[RedisSetting] is not { Length: > 0 } redis)
        {
            return services;
        }

        try
        {
            LimitsServiceCollectionExtensions.Options(redis);
        }
        catch (ArgumentException)
        {
            throw new StartupException(
                $"{RedisSetting} is not a Redis configuration string (host:port, then options such as password=…, ssl=true, separated by commas).",
                StartupException.BadConfiguration);
        }

        services.AddModelgateSharedLimits(redis, policy, sp => () => sp.GetRequiredService<InstanceRegistry>().LiveInstances);
        services.AddHealthChecks().AddCheck<SharedLimitsHealthCheck>("limits");
        return services;
    }

    private static SharedCountersPolicy Policy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "local" => SharedCountersPolicy.Local,
        "allow" => SharedCountersPolicy.Allow,
        "reject" => SharedCountersPolicy.Reject,
        _ => throw new StartupException($"{PolicySetting} must be local, allow or reject (what limits do while Redis is out of reach).", StartupException.BadConfiguration),
    };
}
