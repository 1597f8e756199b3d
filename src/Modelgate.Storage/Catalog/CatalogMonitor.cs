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
    private readonly Lock _writeLock = new();
    private Func<CancellationToken, Task>? _recovery;
    private volatile bool _notified;
    private volatile bool _databaseReachable = true;
    private DateTimeOffset? _lastChangeReceivedAt;

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
    public DateTimeOffset? LastChangeReceivedAt
    {
        get { lock (_writeLock) { return _lastChangeReceivedAt; } }
        private set { lock (_writeLock) { _lastChangeReceivedAt = value; } }
    }

    /// <summary>False while the database cannot be reached and the last-known-good snapshot is served.</summary>
    public bool DatabaseReachable { get => _databaseReachable; private set => _databaseReachable = value; }

    public LastKnownGoodFile LastKnownGood => _lastKnownGood;

    /// <summary>Serves the last-known-good file (database unreachable at start); <paramref name="recovery"/> runs once it is back.</summary>
    public bool StartFromLastKnownGood(Func<CancellationToken, Task> recovery)
    {
        CatalogSnapshot? snapshot;
        try
        {
            snapshot = _lastKnownGood.TryRead();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            LogLastKnownGoodUnreadable(_logger, _lastKnownGood.Path, e.Message);
            return false;
        }

        if (snapshot is null)
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
        if (latest == current.Snapshot.Version && current.Origin == ResolutionSource.Database)
        {
            return false;
        }

        // The database is the truth: if it holds an older version than this process has seen, it was restored or replaced.
        var replaced = latest < current.Snapshot.Version;
        if (replaced)
        {
            LogDatabaseBehind(_logger, latest, current.Snapshot.Version);
        }

        var row = await db.ConfigVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == latest, cancellationToken);
        if (row is null)
        {
            return false;
        }

        var applied = _catalog.Apply(CatalogSnapshotJson.FromGzip(row.Snapshot), ResolutionSource.Database, replacesNewer: replaced);
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
                if (_database.Kind == DatabaseKind.Sqlite)
                {
                    await ProbeSqliteFileAsync(stoppingToken);
                }

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
                await PauseAsync(stoppingToken);
            }
            catch (Exception e)
            {
                // Never let the watcher die (it would take the host with it): report, keep serving what is in effect, retry.
                LogMonitorError(_logger, e.GetType().Name, e.Message, e);
                await PauseAsync(stoppingToken);
            }
        }
    }

    private Task PauseAsync(CancellationToken stoppingToken) =>
        Task.Delay(_options.RetryInterval, _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);

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

    private async Task PollSqliteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(ModelgateDbContextFactory.ExistingFileOnly(_database.ConnectionString));
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
            if (_time.GetUtcNow() - lastCheck >= _options.SafetyCheckInterval)
            {
                lastCheck = _time.GetUtcNow();
                await ProbeSqliteFileAsync(stoppingToken);
                await LoadLatestAsync(stoppingToken);
            }
            else if (!Equals(now, seen))
            {
                seen = now;
                await LoadLatestAsync(stoppingToken);
            }

            MarkReachable();
        }
    }

    // Pooled connections keep an open handle on the file, so they would not notice it going away: open it afresh.
    private async Task ProbeSqliteFileAsync(CancellationToken stoppingToken)
    {
        var builder = new SqliteConnectionStringBuilder(_database.ConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        await using var probe = new SqliteConnection(builder.ConnectionString);
        await probe.OpenAsync(stoppingToken);
        await using var command = probe.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM config_versions";
        await command.ExecuteScalarAsync(stoppingToken);
    }

    private void OnChanged(CatalogState state)
    {
        if (state.Origin != ResolutionSource.Database)
        {
            return;
        }

        lock (_writeLock)
        {
            // Applies can overlap; only the state still in effect is written, so the file never goes back in time.
            if (!ReferenceEquals(_catalog.State, state))
            {
                return;
            }

            try
            {
                _lastKnownGood.Write(state.Snapshot);
            }
            catch (Exception e)
            {
                LogLastKnownGoodNotWritten(_logger, _lastKnownGood.Path, e.Message);
            }
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

    /// <summary>
    /// True for failures that mean "the database cannot be reached right now" (connection, I/O, shutdown, a file that
    /// cannot be opened), not for errors of the request itself (constraints, bad SQL, wrong credentials).
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception error) =>
        error switch
        {
            PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300",
            NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
            SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 10 or 14 or 26,
            TimeoutException or System.Net.Sockets.SocketException or IOException => true,
            _ when error.InnerException is { } inner => IsDatabaseUnavailable(inner),
            _ => false,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog database unreachable ({ErrorType}: {Error}); serving last-known-good snapshot v{Version} until it is back")]
    private static partial void LogDatabaseUnreachable(ILogger logger, long version, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog database reachable again; catalog v{Version} in effect")]
    private static partial void LogDatabaseBack(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog database unreachable at start; serving last-known-good snapshot v{Version} from {Path}")]
    private static partial void LogServingLastKnownGood(ILogger logger, long version, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database holds catalog v{Latest}, older than v{Seen} seen here: it was restored or replaced; following the database")]
    private static partial void LogDatabaseBehind(ILogger logger, long latest, long seen);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catalog monitor failed ({ErrorType}: {Error}); retrying")]
    private static partial void LogMonitorError(ILogger logger, string errorType, string error, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last-known-good file {Path} cannot be read: {Error}")]
    private static partial void LogLastKnownGoodUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the last-known-good file {Path}: {Error}")]
    private static partial void LogLastKnownGoodNotWritten(ILogger logger, string path, string error);
}
