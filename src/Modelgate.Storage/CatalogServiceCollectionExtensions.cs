using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Catalog;

namespace Modelgate.Storage;

/// <summary>The catalog in effect and how it is kept current, registered once for the server and for direct-mode applications alike.</summary>
public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// Registers the catalog snapshot in effect (<see cref="CurrentCatalog"/>), resolution (<see cref="ModelResolver"/>,
    /// with the environment as its last resort, read from <see cref="IConfiguration"/>), the decryption of stored keys,
    /// and the monitor that follows the database's changes, keeping the last-known-good snapshot in
    /// <paramref name="dataDirectory"/>. Needs the database (<see cref="StorageServiceCollectionExtensions.AddModelgateStorage(IServiceCollection, DatabaseOptions)"/>) and a <see cref="MasterKeyStore"/>;
    /// the monitor is a hosted service the caller starts in its own order.
    /// </summary>
    public static IServiceCollection AddModelgateCatalog(this IServiceCollection services, Func<IServiceProvider, string> dataDirectory)
    {
        services.AddSingleton<SecretProtector>();
        services.AddSingleton(sp => new EnvironmentFallback(name => sp.GetRequiredService<IConfiguration>()[name]));
        services.AddSingleton<CurrentCatalog>();
        services.AddSingleton<ModelResolver>();
        services.AddSingleton(sp => new CatalogMonitorOptions(Path.Combine(dataDirectory(sp), LastKnownGoodFile.FileName)));
        services.AddSingleton<CatalogMonitor>();
        return services;
    }
}
