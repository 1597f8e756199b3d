using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Storage.Usage;

namespace Modelgate.Storage;

/// <summary>
/// Creates or upgrades the schema on start (each engine has its own migration set), then does what an upgrade
/// needs done once with the data (building usage rollups from the rows older versions kept).
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<ModelgateDbContext> contexts, DatabaseOptions? database = null, TimeProvider? time = null, ILogger<DatabaseInitializer>? logger = null)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (db.Kind == DatabaseKind.Sqlite && db.Database.GetDbConnection().DataSource is { Length: > 0 } file && file != ":memory:" && !File.Exists(file)
            && (database is null || !ModelgateDbContextFactory.SetsMode(database.ConnectionString)))
        {
            // The only place the file may be created (unless the connection string sets a Mode of its own):
            // the context's connections require it to exist.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var create = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
            await using var connection = new SqliteConnection(create.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }

        // A migration may rebuild an index of a big table (usage records): minutes, not the default 30 s, or the start
        // would fail the same way every time.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Sqlite)
        {
            // WAL lets readers (other instances polling the file) proceed while one writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (await UsageRollupBuild.RunAsync(contexts, time ?? TimeProvider.System, cancellationToken) is > 0 and var days)
        {
            LogRollupsBuilt(logger ?? NullLogger<DatabaseInitializer>.Instance, days, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Built hourly and daily usage rollups for {Days} days of earlier usage in {Seconds:0.0} s (once, after the upgrade).")]
    private static partial void LogRollupsBuilt(ILogger logger, int days, double seconds);
}
