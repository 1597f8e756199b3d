using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Modelgate.Storage;

/// <summary>Creates or upgrades the schema on start (each engine has its own migration set).</summary>
public sealed class DatabaseInitializer(IDbContextFactory<ModelgateDbContext> contexts, DatabaseOptions? database = null)
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

        await db.Database.MigrateAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Sqlite)
        {
            // WAL lets readers (other instances polling the file) proceed while one writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
