using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Modelgate.Storage;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteModelgateDbContext>
{
    public SqliteModelgateDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteModelgateDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresModelgateDbContext>
{
    public PostgresModelgateDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresModelgateDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
