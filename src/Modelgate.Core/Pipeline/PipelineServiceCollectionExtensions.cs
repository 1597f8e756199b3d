using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Modelgate.Core.Limits;
using Modelgate.Core.Providers;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>The request pipeline's services, registered once for the server and for direct-mode applications alike.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider kinds' adapters, the SDK clients per model (made with <paramref name="handler"/>'s
    /// connections, and dropped when the catalog changes, with the keys they hold), and the pipeline's rules: the time
    /// bounds of <paramref name="options"/>, the configured limits (<see cref="Limiter"/>, counted in this process unless an
    /// <see cref="ILimitCounters"/> was registered before), retries and circuit breakers (<see cref="ProviderResilience"/>)
    /// and the guarded clients both entrances call (<see cref="ModelClients"/>). Needs <see cref="CurrentCatalog"/>.
    /// </summary>
    public static IServiceCollection AddModelgatePipeline(
        this IServiceCollection services,
        Func<IServiceProvider, PipelineOptions> options,
        Func<IServiceProvider, (HttpMessageHandler Handler, bool Owned)> handler)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(ProviderAdapters.Default);
        services.AddSingleton(sp =>
        {
            var (connections, owned) = handler(sp);
            var cache = new ProviderClientCache(sp.GetRequiredService<ProviderAdapters>(), connections, ownsHandler: owned);
            // SDK clients (and the keys they hold) do not outlive the catalog version they were made for.
            sp.GetRequiredService<CurrentCatalog>().Changed += _ => cache.Clear();
            return cache;
        });
        services.AddSingleton(options);
        // Limits are counted in this process unless the host shares them (Redis, for a fleet).
        services.TryAddSingleton<ILimitCounters>(sp => new InProcessLimitCounters(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Limiter(
            sp.GetRequiredService<ILimitCounters>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IKeySpend>(),
            sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger(PipelineLog.Category), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<ProviderResilience>();
        services.AddSingleton<ModelClients>();
        services.AddSingleton(sp => new Experiments.ShadowCalls(
            sp.GetRequiredService<ModelClients>(), sp.GetService<Usage.IUsageRecorder>() ?? Usage.NoUsageRecorder.Instance, sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }
}
