using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Runs one catalog change as a serialized unit of work: SQLite's <c>BEGIN IMMEDIATE</c> and a PostgreSQL
/// transaction-scoped advisory lock let one writer at a time check rules and write, across processes too.
/// A refused change rolls back; nothing is half-written. An accepted change publishes the next catalog
/// version in the same transaction (and, on PostgreSQL, notifies other instances on commit), then puts it
/// in effect in this process before returning, so the next resolution already sees it.
/// </summary>
public sealed class CatalogTransaction(IDbContextFactory<ModelgateDbContext> contexts, CurrentCatalog catalog, TimeProvider time)
{
    /// <summary>The PostgreSQL channel that carries new version numbers to other instances.</summary>
    public const string NotifyChannel = "modelgate_catalog";

    // Any fixed number works; it only has to be the same for every Modelgate instance on the database.
    private const long CatalogWriteLockId = 0x4D47_4341_5441;

    public async Task<CatalogResult<T>> RunAsync<T>(Func<ModelgateDbContext, Task<CatalogResult<T>>> work, CancellationToken cancellationToken) =>
        (await RunAndPublishAsync(work, cancellationToken)).Result;

    /// <summary>Like <see cref="RunAsync{T}"/>, also returning the catalog version the change published (null if refused).</summary>
    public async Task<(CatalogResult<T> Result, CatalogSnapshot? Published)> RunAndPublishAsync<T>(Func<ModelgateDbContext, Task<CatalogResult<T>>> work, CancellationToken cancellationToken)
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
            return (result, null);
        }

        var audit = db.ChangeTracker.Entries<AuditEntryEntity>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        await db.SaveChangesAsync(cancellationToken);
        var snapshot = audit.Count == 0 ? null : await PublishAsync(db, audit[0].Actor, Summarize(audit), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (snapshot is not null)
        {
            catalog.Apply(snapshot, ResolutionSource.Database);
        }

        return (result, snapshot);
    }

    /// <summary>Runs a read-only query on a fresh context.</summary>
    public async Task<T> ReadAsync<T>(Func<ModelgateDbContext, Task<T>> query)
    {
        await using var db = contexts.CreateDbContext();
        return await query(db);
    }

    /// <summary>Publishes version 1 from the tables as they are, when no version exists yet (first start, or an upgrade).</summary>
    public async Task EnsurePublishedAsync(CancellationToken cancellationToken)
    {
        await RunAsync<bool>(async db =>
        {
            if (!await db.ConfigVersions.AnyAsync(cancellationToken))
            {
                await PublishAsync(db, "modelgate", "initial catalog", cancellationToken);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Inside the writer lock: the number of the version the unit of work will publish if it changes anything (max + 1, so
    /// versions are gap-free and ordered across instances).
    /// </summary>
    internal static async Task<long> NextVersionAsync(ModelgateDbContext db, CancellationToken cancellationToken) =>
        (await db.ConfigVersions.MaxAsync(v => (long?)v.Version, cancellationToken) ?? 0) + 1;

    private async Task<CatalogSnapshot> PublishAsync(ModelgateDbContext db, string actor, string summary, CancellationToken cancellationToken)
    {
        var version = await NextVersionAsync(db, cancellationToken);
        var now = time.UtcNow();
        var snapshot = await CatalogSnapshotReader.ReadAsync(db, version, new DateTimeOffset(now), cancellationToken);
        db.ConfigVersions.Add(new ConfigVersionEntity { Version = version, PublishedAt = now, Actor = actor, Summary = summary, Snapshot = CatalogSnapshotJson.ToGzip(snapshot) });
        await db.SaveChangesAsync(cancellationToken);
        if (db.Kind == DatabaseKind.Postgres)
        {
            // Delivered by PostgreSQL when (and only if) the transaction commits.
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({NotifyChannel}, {version.ToString(System.Globalization.CultureInfo.InvariantCulture)})", cancellationToken);
        }

        return snapshot;
    }

    private static string Summarize(List<AuditEntryEntity> audit)
    {
        var parts = audit.Select(a => $"{a.Action} {Label(a)}").Distinct().ToList();
        var text = string.Join("; ", parts.Take(10)) + (parts.Count > 10 ? $"; and {parts.Count - 10} more" : "");
        return text.Length <= 2000 ? text : text[..1997] + "...";
    }

    private static string Label(AuditEntryEntity entry)
    {
        using var document = JsonDocument.Parse(entry.After ?? entry.Before ?? "{}");
        foreach (var name in new[] { "name", "model_id", "purpose" })
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return $"'{value.GetString()}'";
            }
        }

        return entry.EntityId ?? "";
    }
}
