using Microsoft.Extensions.Hosting;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Catalog;

namespace Modelgate.Client;

/// <summary>
/// Before the application starts: loads the master key and the latest catalog version (or the last-known-good
/// snapshot when the database is unreachable), so the first call already resolves from the catalog.
/// The client never creates or migrates the schema: that is the server's job.
/// </summary>
internal sealed class ModelgateClientStartup(MasterKeyStore keys, CatalogMonitor monitor) : IHostedLifecycleService
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
                throw new InvalidOperationException($"Modelgate's catalog database cannot be reached ({e.Message}) and there is no last-known-good snapshot to use meanwhile.", e);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
