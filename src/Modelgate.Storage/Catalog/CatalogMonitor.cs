using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Npgsql;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Keeps this process on the latest published catalog version: PostgreSQL LISTEN/NOTIFY with a periodic
/// version check as a safety net, or SQLite's data version polled on a dedicated connection. While the
/// database is unreachable it serves the snapshot it has as last-known-good and retries until it is back.
/// Every snapshot applied from the database is also written to the last-known-good file.
/// </summary>
public sealed partial class CatalogMonitor : BackgroundService
{
    private readonly IDbContextFactory<ModelgateDbContext> _contexts;
    private readonly DatabaseOptions _database;
    private readonly CurrentCatalog _catalog;
    private readonly CatalogMonitorOptions _options;
    private readonly LastKnownGoodFile _lastKnownGood;
    private readonly TimeProvider _time;
    private readonly ILogger<CatalogMonitor> _logger;
    private Func<CancellationToken, Task>? _recovery;

    public CatalogMonitor(IDbContextFactory<ModelgateDbContext> contexts, DatabaseOptions database, CurrentCatalog catalog, CatalogMonitorOptions options, TimeProvider time, ILogger<CatalogMonitor> logger)
    {
        _contexts = contexts;
        _database = database;
        _catalog = catalog;
        _options = options;
        _time = time;
        _logger = logger;
        _lastKnownGood = new LastKnownGoodFile(options.LastKnownGoodPath);
        catalog.Changed += OnChanged;
    }

    /// <summary>When the last new version arrived from the database (null: none yet).</summary>
    public DateTimeOffset? LastChangeReceivedAt { get; private set; }

    /// <summary>False while the database cannot be reached and the last-known-good snapshot is served.</summary>
    public bool DatabaseReachable { get; private set; } = true;

    public LastKnownGoodFile LastKnownGood => _lastKnownGood;

    /// <summary>Serves the last-known-good file (database unreachable at start); <paramref name="recovery"/> runs once it is back.</summary>
    public bool StartFromLastKnownGood(Func<CancellationToken, Task> recovery)
    {
        if (_lastKnownGood.TryRead() is not { } snapshot)
        {
            return false;
        }

        _recovery = recovery;
        DatabaseReachable = false;
        _catalog.Apply(snapshot, ResolutionSource.LastKnownGood);
        LogServingLastKnownGood(_logger, snapshot.Version, _lastKnownGood.Path);
        return true;
    }

    /// <summary>Reads the latest published version and puts it in effect if it is newer (or the database is back).</summary>
    public async Task<bool> LoadLatestAsync(CancellationToken cancellationToken)
    {
        await using var db = _contexts.CreateDbContext();
        var current = _catalog.State;
        var latest = await db.ConfigVersions.MaxAsync(v => (long?)v.Version, cancellationToken) ?? 0;
        if (latest < current.Snapshot.Version || (latest == current.Snapshot.Version && current.Origin == ResolutionSource.Database))
        {
            return false;
        }

        var row = await db.ConfigVersions.AsNoTracking().SingleAsync(v => v.Version == latest, cancellationToken);
        var applied = _catalog.Apply(CatalogSnapshotJson.FromGzip(row.Snapshot), ResolutionSource.Database);
        if (applied)
        {
            LastChangeReceivedAt = _time.GetUtcNow();
        }

        return applied;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_recovery is { } recovery)
                {
                    await recovery(stoppingToken);
                    _recovery = null;
                }

                await LoadLatestAsync(stoppingToken);
                MarkReachable();
                if (_database.Kind == DatabaseKind.Postgres)
                {
                    await ListenAsync(stoppingToken);
                }
                else
                {
                    await PollSqliteAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsDatabaseUnavailable(e))
            {
                MarkUnreachable(e);
                await Task.Delay(_options.RetryInterval, _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, _) => _notified = true;
        await using (var listen = new NpgsqlCommand($"LISTEN {CatalogTransaction.NotifyChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // A change published between the first load and LISTEN would otherwise wait for the safety check.
        await LoadLatestAsync(stoppingToken);
        var lastCheck = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(_options.PollInterval, stoppingToken);
            if (_notified || _time.GetUtcNow() - lastCheck >= _options.SafetyCheckInterval)
            {
                _notified = false;
                lastCheck = _time.GetUtcNow();
                await LoadLatestAsync(stoppingToken);
                MarkReachable();
            }
        }
    }

    private volatile bool _notified;

    private async Task PollSqliteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        var seen = await command.ExecuteScalarAsync(stoppingToken);
        var lastCheck = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_options.PollInterval, _time, stoppingToken);
            // data_version changes when another connection commits to the file; only then is the version table read
            // (and at the safety interval, through a fresh connection, which also notices a file that went away).
            var now = await command.ExecuteScalarAsync(stoppingToken);
            if (!Equals(now, seen) || _time.GetUtcNow() - lastCheck >= _options.SafetyCheckInterval)
            {
                seen = now;
                lastCheck = _time.GetUtcNow();
                await LoadLatestAsync(stoppingToken);
            }

            MarkReachable();
        }
    }

    private void OnChanged(CatalogState state)
    {
        if (state.Origin != ResolutionSource.Database)
        {
            return;
        }

        try
        {
            _lastKnownGood.Write(state.Snapshot);
        }
        catch (IOException e)
        {
            LogLastKnownGoodNotWritten(_logger, _lastKnownGood.Path, e.Message);
        }
    }

    private void MarkReachable()
    {
        if (!DatabaseReachable)
        {
            DatabaseReachable = true;
            LogDatabaseBack(_logger, _catalog.State.Snapshot.Version);
        }
    }

    private void MarkUnreachable(Exception error)
    {
        if (DatabaseReachable)
        {
            DatabaseReachable = false;
            var state = _catalog.State;
            // Same snapshot, now labelled last-known-good, so every resolution says where it comes from.
            _catalog.Apply(state.Snapshot, ResolutionSource.LastKnownGood);
            LogDatabaseUnreachable(_logger, state.Snapshot.Version, error.GetType().Name, error.Message);
        }
    }

    public static bool IsDatabaseUnavailable(Exception error) =>
        error switch
        {
            DbException or TimeoutException or System.Net.Sockets.SocketException or IOException => true,
            InvalidOperationException { InnerException: { } inner } => IsDatabaseUnavailable(inner),
            _ when error.InnerException is { } inner => IsDatabaseUnavailable(inner),
            _ => false,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog database unreachable ({ErrorType}: {Error}); serving last-known-good snapshot v{Version} until it is back")]
    private static partial void LogDatabaseUnreachable(ILogger logger, long version, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog database reachable again; catalog v{Version} in effect")]
    private static partial void LogDatabaseBack(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog database unreachable at start; serving last-known-good snapshot v{Version} from {Path}")]
    private static partial void LogServingLastKnownGood(ILogger logger, long version, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the last-known-good file {Path}: {Error}")]
    private static partial void LogLastKnownGoodNotWritten(ILogger logger, string path, string error);
}
