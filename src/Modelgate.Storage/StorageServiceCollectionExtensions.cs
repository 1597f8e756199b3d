using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Storage.Audit;
using Modelgate.Core.Usage;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Experiments;
using Modelgate.Storage.Responses;
using Modelgate.Storage.Usage;

namespace Modelgate.Storage;

/// <summary>Registers the catalog database, its stores and its maintenance jobs.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddModelgateStorage(this IServiceCollection services, DatabaseOptions database) =>
        services.AddModelgateStorage(_ => database);

    /// <summary>Registers storage with the database decided when the container is built (e.g. from options).</summary>
    public static IServiceCollection AddModelgateStorage(this IServiceCollection services, Func<IServiceProvider, DatabaseOptions> database)
    {
        services.AddSingleton(database);
        services.AddSingleton<IDbContextFactory<ModelgateDbContext>>(sp => new ModelgateDbContextFactory(sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton<CatalogTransaction>();
        services.AddSingleton<ProviderStore>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<DefaultsStore>();
        services.AddSingleton<AuditQuery>();
        services.AddSingleton<ConfigVersionStore>();
        services.AddSingleton<ConfigFileStore>();
        services.AddSingleton<VirtualKeyStore>();
        services.AddSingleton<FallbackStore>();
        services.AddSingleton<AliasStore>();
        services.AddSingleton<ExperimentStore>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<DataProtectionKeyStore>();
        services.AddSingleton<AdminSessionStore>();
        services.AddSingleton<SecretKeyMaintenance>();
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }

    /// <summary>
    /// Registers usage recording on the server: the background writer (also the <see cref="IUsageRecorder"/>), budget
    /// spend and its refresh, the query, feedback and experiment results, and the rollup/prune job. The writer flushes its queue when the host stops.
    /// </summary>
    public static IServiceCollection AddModelgateUsage(this IServiceCollection services, UsageOptions options)
    {
        services.AddModelgateUsageWriter(_ => options);
        services.AddSingleton<UsageQuery>();
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<ExperimentResultsQuery>();
        services.AddSingleton<UsageMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageMaintenance>());
        services.AddHostedService<SpendRefresher>();
        return services;
    }

    /// <summary>
    /// Registers the Responses API calls the gateway keeps (<see cref="ResponseStore"/>) for <paramref name="retention"/>
    /// (zero: none), and the job that deletes them once expired.
    /// </summary>
    public static IServiceCollection AddModelgateResponseStore(this IServiceCollection services, TimeSpan retention)
    {
        services.AddSingleton(sp => new ResponseStore(
            sp.GetRequiredService<IDbContextFactory<ModelgateDbContext>>(), sp.GetRequiredService<Core.Secrets.SecretProtector>(), sp.GetRequiredService<TimeProvider>(), retention));
        services.AddSingleton<ResponseStoreMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<ResponseStoreMaintenance>());
        return services;
    }

    /// <summary>Registers only the background writer (what an application using the client library in direct mode needs).</summary>
    public static IServiceCollection AddModelgateUsageWriter(this IServiceCollection services, Func<IServiceProvider, UsageOptions> options)
    {
        services.AddSingleton(options);
        services.AddSingleton<UsageMetrics>(sp => new UsageMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<SpendLedger>();
        services.AddSingleton<Core.Pipeline.IKeySpend>(sp => sp.GetRequiredService<SpendLedger>());
        services.AddSingleton<UsageWriter>();
        services.AddSingleton<IUsageRecorder>(sp => sp.GetRequiredService<UsageWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<UsageWriter>());
        return services;
    }
}
