using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Modelgate.Storage;

/// <summary>Creates catalog contexts for the configured engine; each unit of work gets its own short-lived context.</summary>
public sealed class ModelgateDbContextFactory : IDbContextFactory<ModelgateDbContext>
{
    private readonly Func<ModelgateDbContext> _create;

    public ModelgateDbContextFactory(DatabaseOptions options)
    {
        Options = options;
        if (options.Kind == DatabaseKind.Postgres)
        {
            var built = new DbContextOptionsBuilder<PostgresModelgateDbContext>().UseNpgsql(options.ConnectionString).Options;
            _create = () => new PostgresModelgateDbContext(built);
        }
        else
        {
            var built = new DbContextOptionsBuilder<SqliteModelgateDbContext>().UseSqlite(ExistingFileOnly(options.ConnectionString)).Options;
            _create = () => new SqliteModelgateDbContext(built);
        }
    }

    public DatabaseOptions Options { get; }

    /// <summary>
    /// SQLite would silently create an empty file where the database went missing; outside of start-up
    /// (<see cref="DatabaseInitializer"/> creates it) a missing file must be an error.
    /// </summary>
    public static string ExistingFileOnly(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!SetsMode(connectionString) && builder.DataSource != ":memory:")
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether a SQLite connection string chooses its own open mode (then Modelgate leaves it alone).</summary>
    public static bool SetsMode(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey("mode");

    public ModelgateDbContext CreateDbContext() => _create();
}
