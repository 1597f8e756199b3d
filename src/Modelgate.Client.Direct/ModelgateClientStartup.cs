using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Catalog;

namespace Modelgate.Client;

/// <summary>
/// Before the application starts: loads the master key and the latest catalog version (or the last-known-good
/// snapshot when the database is unreachable), so the first call already resolves from the catalog. Unlike the
/// server, an application starts even with neither: it then resolves from the environment until the database answers.
/// The client never creates or migrates the schema: that is the server's job.
/// </summary>
internal sealed partial class ModelgateClientStartup(MasterKeyStore keys, CatalogMonitor monitor, ILogger<ModelgateClientStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // No key means stored provider keys cannot be read: resolution then fails closed, naming the provider.
        keys.TryLoad(createIfMissing: false);
        try
        {
            await monitor.LoadLatestAsync(cancellationToken);
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            if (!monitor.StartFromLastKnownGood(monitor.LoadLatestAsync))
            {
                // The application still starts: until the database answers, purposes resolve from the environment
                // (saying so) or fail with what to configure; the monitor keeps trying the database.
                LogStartingWithoutCatalog(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modelgate's catalog database cannot be reached ({Error}) and there is no last-known-good snapshot; resolving from the environment until it answers")]
    private static partial void LogStartingWithoutCatalog(ILogger logger, string error);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
