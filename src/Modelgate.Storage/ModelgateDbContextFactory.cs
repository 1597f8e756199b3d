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
            var built = new DbContextOptionsBuilder<SqliteModelgateDbContext>().UseSqlite(options.ConnectionString).Options;
            _create = () => new SqliteModelgateDbContext(built);
        }
    }

    public DatabaseOptions Options { get; }

    public ModelgateDbContext CreateDbContext() => _create();
}
