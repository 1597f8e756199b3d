using Microsoft.EntityFrameworkCore;

namespace Modelgate.Storage;

/// <summary>Creates or upgrades the schema on start (each engine has its own migration set).</summary>
public sealed class DatabaseInitializer(IDbContextFactory<ModelgateDbContext> contexts)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (db.Kind == DatabaseKind.Sqlite && db.Database.GetDbConnection().DataSource is { Length: > 0 } file && file != ":memory:")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Sqlite)
        {
            // WAL lets readers (other instances polling the file) proceed while one writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
