using Modelgate.Core.Secrets;
using Modelgate.Server.Auth;
using Modelgate.Server.Ui.Security;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Runs before the server accepts requests: migrates the schema, loads and verifies the master key, sets up
/// the admin token, applies <c>MODELGATE_CONFIG_FILE</c> if set, puts the latest catalog version in effect and makes sure the console has a signing key. If the database cannot be reached and a
/// last-known-good snapshot exists, the server starts on that (degraded) and finishes this work once the
/// database is back. A wrong setting or master key, or an unreachable database without that snapshot, stops the
/// start with a <see cref="StartupException"/> that says what to fix.
/// </summary>
internal sealed partial class StartupInitializer(
    DatabaseInitializer database,
    SecretKeyMaintenance secrets,
    MasterKeyStore keys,
    AdminTokenBootstrapper adminToken,
    CatalogTransaction transactions,
    CatalogMonitor monitor,
    FirstSigningKey signingKey,
    ConfigFileAtStart configFile,
    ModelgateSettings settings,
    ILogger<StartupInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        LogStarting(logger, settings.ToString());
        try
        {
            await InitializeOrStartDegradedAsync(cancellationToken);
        }
        catch (MasterKeyException e)
        {
            throw new StartupException(e.Message, StartupException.BadConfiguration, e);
        }
    }

    private async Task InitializeOrStartDegradedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            // The key must still be there to read the snapshot's secrets; never create one here.
            if (!keys.IsLoaded)
            {
                keys.TryLoad(createIfMissing: false);
            }

            adminToken.InitializeOffline();
            if (!monitor.StartFromLastKnownGood(InitializeAsync))
            {
                // The database as logged at start (without its password) and the driver's reason (a host and port, or a file).
                throw new StartupException(
                    $"The catalog database {settings.Database} cannot be reached ({e.Message}) and there is no last-known-good snapshot "
                    + $"in {settings.DataDirectory} to serve meanwhile. Check MODELGATE_DATABASE and that the database is running.",
                    StartupException.DatabaseUnreachable, e);
            }
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await secrets.LoadAndVerifyAsync(cancellationToken);
        await adminToken.InitializeAsync(cancellationToken);
        await transactions.EnsurePublishedAsync(cancellationToken);
        await configFile.ApplyAsync(cancellationToken);
        await monitor.LoadLatestAsync(cancellationToken);
        await signingKey.EnsureAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Modelgate starting: {Settings}")]
    private static partial void LogStarting(ILogger logger, string settings);
}
