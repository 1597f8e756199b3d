using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Runs one catalog change as a serialized unit of work: SQLite's <c>BEGIN IMMEDIATE</c> and a PostgreSQL
/// transaction-scoped advisory lock let one writer at a time check rules and write, across processes too.
/// A refused change rolls back; nothing is half-written.
/// </summary>
public sealed class CatalogTransaction(IDbContextFactory<ModelgateDbContext> contexts)
{
    // Any fixed number works; it only has to be the same for every Modelgate instance on the database.
    private const long CatalogWriteLockId = 0x4D47_4341_5441;

    public async Task<CatalogResult<T>> RunAsync<T>(Func<ModelgateDbContext, Task<CatalogResult<T>>> work, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CatalogWriteLockId})", cancellationToken);
        }

        var result = await work(db);
        if (!result.IsSuccess)
        {
            await transaction.RollbackAsync(cancellationToken);
            return result;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Runs a read-only query on a fresh context.</summary>
    public async Task<T> ReadAsync<T>(Func<ModelgateDbContext, Task<T>> query)
    {
        await using var db = contexts.CreateDbContext();
        return await query(db);
    }
}
