using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Audit;

namespace Modelgate.Storage.Catalog;

/// <summary>A published catalog version as the API lists it.</summary>
public sealed record ConfigVersionView(long Version, DateTime PublishedAt, string Actor, string Summary, bool IsCurrent);

/// <summary>What changed in a version against the one before it.</summary>
public sealed record ConfigVersionDiff(ConfigVersionView Version, long? ComparedWith, IReadOnlyList<CatalogChange> Changes);

/// <summary>The history of published catalog versions: list, diff, and roll back to any of them.</summary>
public sealed class ConfigVersionStore(CatalogTransaction transactions, SecretProtector protector, TimeProvider time)
{
    public Task<Page<ConfigVersionView>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var total = await db.ConfigVersions.CountAsync(cancellationToken);
            var latest = await db.ConfigVersions.MaxAsync(v => (long?)v.Version, cancellationToken) ?? 0;
            var rows = await db.ConfigVersions.AsNoTracking().OrderByDescending(v => v.Version).Skip(offset).Take(limit)
                .Select(v => new { v.Version, v.PublishedAt, v.Actor, v.Summary }).ToListAsync(cancellationToken);
            return new Page<ConfigVersionView>([.. rows.Select(r => new ConfigVersionView(r.Version, r.PublishedAt, r.Actor, r.Summary, r.Version == latest))], total, limit, offset);
        });

    /// <summary>One version as the list shows it (no snapshot read), or why not.</summary>
    public Task<CatalogResult<ConfigVersionView>> GetAsync(long version, CancellationToken cancellationToken) =>
        transactions.ReadAsync<CatalogResult<ConfigVersionView>>(async db =>
        {
            var row = await db.ConfigVersions.AsNoTracking().Where(v => v.Version == version)
                .Select(v => new { v.Version, v.PublishedAt, v.Actor, v.Summary }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return CatalogError.NotFound($"no catalog version {version}; GET /api/v1/config/versions lists them");
            }

            var latest = await db.ConfigVersions.MaxAsync(v => v.Version, cancellationToken);
            return new ConfigVersionView(row.Version, row.PublishedAt, row.Actor, row.Summary, row.Version == latest);
        });

    public Task<CatalogResult<ConfigVersionDiff>> DiffAsync(long version, CancellationToken cancellationToken) =>
        transactions.ReadAsync<CatalogResult<ConfigVersionDiff>>(async db =>
        {
            var row = await db.ConfigVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == version, cancellationToken);
            if (row is null)
            {
                return CatalogError.NotFound($"no catalog version {version}; GET /api/v1/config/versions lists them");
            }

            var previous = await db.ConfigVersions.AsNoTracking().Where(v => v.Version < version).OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
            var latest = await db.ConfigVersions.MaxAsync(v => v.Version, cancellationToken);
            var changes = CatalogDiff.Between(previous is null ? CatalogSnapshot.Empty : CatalogSnapshotJson.FromGzip(previous.Snapshot), CatalogSnapshotJson.FromGzip(row.Snapshot));
            return new ConfigVersionDiff(new ConfigVersionView(row.Version, row.PublishedAt, row.Actor, row.Summary, row.Version == latest), previous?.Version, changes);
        });

    /// <summary>
    /// Makes the catalog equal to version <paramref name="version"/> again (keys included) and publishes that as a
    /// new version. Entities keep their ids; keys are re-encrypted under the current master key. With
    /// <paramref name="expectedLatest"/>, refused when another version was published since the caller looked
    /// (checked inside the serialized write, so nothing unseen is undone).
    /// </summary>
    public async Task<CatalogResult<ConfigVersionView>> RollbackAsync(long version, string actor, CancellationToken cancellationToken, long? expectedLatest = null)
    {
        var (result, published) = await transactions.RunAndPublishAsync<bool>(async db =>
        {
            var row = await db.ConfigVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == version, cancellationToken);
            if (row is null)
            {
                return CatalogError.NotFound($"no catalog version {version}; GET /api/v1/config/versions lists them");
            }

            var target = CatalogSnapshotJson.FromGzip(row.Snapshot);
            var keys = new Dictionary<Guid, string?>();
            foreach (var provider in target.Providers.Values)
            {
                try
                {
                    keys[provider.Id] = provider.ApiKeyCiphertext is null ? null : protector.Protect(protector.Unprotect(provider.ApiKeyCiphertext, SecretContext.ProviderApiKey(provider.Id)), SecretContext.ProviderApiKey(provider.Id));
                }
                catch (SecretDecryptionException e)
                {
                    return CatalogError.Conflict($"version {version} cannot be restored: the key of provider '{provider.Name}' cannot be decrypted ({e.Message})");
                }
            }

            var now = time.UtcNow();
            var current = await db.ConfigVersions.MaxAsync(v => v.Version, cancellationToken);
            if (expectedLatest is { } expected && expected != current)
            {
                return CatalogError.Conflict($"The configuration changed since the rollback was reviewed (now v{current}, then v{expected}). Check the list of changes a rollback undoes, then confirm again.");
            }

            await CatalogRestore.ApplyAsync(db, target, keys, now, actor, cancellationToken);
            AuditTrail.Record(db, actor, "config.rollback", "config_version", version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new { version = current }, new { version, summary = $"rollback to v{version}" }, now);
            return true;
        }, cancellationToken);
        if (published is null)
        {
            return result.Error!;
        }

        var row = await transactions.ReadAsync(db => db.ConfigVersions.AsNoTracking().Where(v => v.Version == published.Version)
            .Select(v => new ConfigVersionView(v.Version, v.PublishedAt, v.Actor, v.Summary, true)).SingleAsync(cancellationToken));
        return row;
    }
}
