using Modelgate.Server.Auth;
using Modelgate.Storage;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Runs before the server accepts requests: migrates the schema, loads and verifies the master key, and sets up
/// the admin token. Any failure stops the start with a message that says what to fix.
/// </summary>
internal sealed partial class StartupInitializer(
    DatabaseInitializer database,
    SecretKeyMaintenance secrets,
    AdminTokenBootstrapper adminToken,
    ModelgateSettings settings,
    ILogger<StartupInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        LogStarting(logger, settings.ToString());
        await database.MigrateAsync(cancellationToken);
        await secrets.LoadAndVerifyAsync(cancellationToken);
        await adminToken.InitializeAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Modelgate starting: {Settings}")]
    private static partial void LogStarting(ILogger logger, string settings);
}
