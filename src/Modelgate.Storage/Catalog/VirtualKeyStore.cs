using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>A gateway key as the admin API shows it: never the secret, never its hash.</summary>
public sealed record VirtualKeyView(
    Guid Id, string Name, string KeyPrefix, IReadOnlyList<string> AllowedPurposes, IReadOnlyList<string> AllowedModels,
    DateTime? ExpiresAt, DateTime? RevokedAt, string Status, decimal? BudgetUsd, string? BudgetPeriod,
    int? RequestsPerMinute, long? TokensPerMinute, int? ConcurrentRequests, IReadOnlyList<string> ShadowLimits,
    DateTime CreatedAt, DateTime UpdatedAt, int Revision)
{
    /// <summary>The key's application or team label, for usage by team; null when none.</summary>
    public string? Team { get; init; }
}

/// <summary>A newly created key: the secret, shown this once, and the key's details.</summary>
public sealed record NewVirtualKey(string Key, VirtualKeyView VirtualKey);

/// <summary>
/// Creates, changes and revokes gateway keys. Keys are part of the published catalog (by hash), so a revocation
/// reaches every instance the way any change does. A rollback never touches keys: access control does not go back in time.
/// </summary>
public sealed class VirtualKeyStore(CatalogTransaction transactions, TimeProvider time)
{
    private const string Entity = "virtual_key";

    public Task<Page<VirtualKeyView>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var total = await db.VirtualKeys.CountAsync(cancellationToken);
            var rows = await db.VirtualKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
            var now = time.UtcNow();
            return new Page<VirtualKeyView>([.. rows.Select(k => ToView(k, now))], total, limit, offset);
        });

    public Task<VirtualKeyView?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db => await db.VirtualKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken) is { } row ? ToView(row, time.UtcNow()) : null);

    public Task<CatalogResult<NewVirtualKey>> CreateAsync(VirtualKeyChanges changes, string actor, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var errors = changes.Validate(creating: true, new DateTimeOffset(now));
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<NewVirtualKey>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<NewVirtualKey>(db =>
        {
            var (secret, hash, prefix) = VirtualKey.NewSecret();
            var row = new VirtualKeyEntity { Id = Guid.CreateVersion7(), Name = changes.Name.Value!, KeyHash = hash, KeyPrefix = prefix, CreatedAt = now, UpdatedAt = now };
            Apply(row, changes);
            db.VirtualKeys.Add(row);
            var view = ToView(row, now);
            AuditTrail.Record(db, actor, "virtual_key.create", Entity, row.Id.ToString(), null, view, now);
            return Task.FromResult<CatalogResult<NewVirtualKey>>(new NewVirtualKey(secret, view));
        }, cancellationToken);
    }

    public Task<CatalogResult<VirtualKeyView>> UpdateAsync(Guid id, VirtualKeyChanges changes, int? ifMatch, string actor, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var errors = changes.Validate(creating: false, new DateTimeOffset(now));
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<VirtualKeyView>>(CatalogError.Invalid(errors));
        }

        return ChangeAsync(id, ifMatch, actor, "virtual_key.update", row => Apply(row, changes), cancellationToken);
    }

    /// <summary>Stops the key at once, on every instance. Revoking twice changes nothing more.</summary>
    public Task<CatalogResult<VirtualKeyView>> RevokeAsync(Guid id, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, null, actor, "virtual_key.revoke", row => row.RevokedAt ??= time.UtcNow(), cancellationToken);

    private Task<CatalogResult<VirtualKeyView>> ChangeAsync(Guid id, int? ifMatch, string actor, string action, Action<VirtualKeyEntity> change, CancellationToken cancellationToken) =>
        transactions.RunAsync<VirtualKeyView>(async db =>
        {
            var row = await db.VirtualKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
            if (row is null)
            {
                return CatalogError.NotFound($"no virtual key with id '{id}'");
            }

            if (ifMatch is { } expected && expected != row.Revision)
            {
                return CatalogError.Stale("virtual key", row.Revision);
            }

            var now = time.UtcNow();
            var before = ToView(row, now);
            change(row);
            row.Revision++;
            row.UpdatedAt = now;
            var after = ToView(row, now);
            AuditTrail.Record(db, actor, action, Entity, id.ToString(), before, after, now);
            return after;
        }, cancellationToken);

    private static void Apply(VirtualKeyEntity row, VirtualKeyChanges changes)
    {
        row.Name = changes.Name.Or(row.Name)!;
        if (changes.Team.HasValue)
        {
            row.Team = changes.Team.Value?.Trim() is { Length: > 0 } team ? team : null;
        }
        if (changes.AllowedPurposes.HasValue)
        {
            row.AllowedPurposes = string.Join('\n', (changes.AllowedPurposes.Value ?? []).Distinct(StringComparer.Ordinal));
        }

        if (changes.AllowedModels.HasValue)
        {
            row.AllowedModels = string.Join('\n', (changes.AllowedModels.Value ?? []).Distinct(StringComparer.Ordinal));
        }

        if (changes.BudgetUsd.HasValue)
        {
            row.BudgetUsd = changes.BudgetUsd.Value;
        }

        if (changes.BudgetPeriod.HasValue)
        {
            row.BudgetPeriod = changes.BudgetPeriod.Value;
        }

        // A budget always has a period (monthly unless said otherwise); no budget, no period.
        row.BudgetPeriod = row.BudgetUsd is null ? null : row.BudgetPeriod ?? "monthly";

        row.RequestsPerMinute = changes.RequestsPerMinute.Or(row.RequestsPerMinute);
        row.TokensPerMinute = changes.TokensPerMinute.Or(row.TokensPerMinute);
        row.ConcurrentRequests = changes.ConcurrentRequests.Or(row.ConcurrentRequests);
        row.ShadowLimits = LimitNames.Or(changes.ShadowLimits, row.ShadowLimits);

        if (changes.ExpiresAt.HasValue)
        {
            row.ExpiresAt = changes.ExpiresAt.Value is { } expiry ? Clock.Stored(expiry.UtcDateTime) : null;
        }
    }

    internal static VirtualKey ToRecord(VirtualKeyEntity k) => new(
        k.Id, k.Name, k.KeyHash, k.KeyPrefix, List(k.AllowedPurposes), List(k.AllowedModels),
        Utc(k.ExpiresAt), Utc(k.RevokedAt), new DateTimeOffset(k.CreatedAt))
    {
        Budget = k.BudgetUsd is { } amount && Budget.TryParsePeriod(k.BudgetPeriod, out var period) ? new Budget(amount, period) : null,
        Limits = new RateLimits(k.RequestsPerMinute, k.TokensPerMinute) { ConcurrentRequests = k.ConcurrentRequests, Shadow = k.ShadowLimits },
    };

    private static VirtualKeyView ToView(VirtualKeyEntity k, DateTime now) => new(
        k.Id, k.Name, k.KeyPrefix, List(k.AllowedPurposes), List(k.AllowedModels), k.ExpiresAt, k.RevokedAt,
        k.RevokedAt is not null ? "revoked" : k.ExpiresAt <= now ? "expired" : "active", k.BudgetUsd, k.BudgetPeriod,
        k.RequestsPerMinute, k.TokensPerMinute, k.ConcurrentRequests, LimitNames.List(k.ShadowLimits), k.CreatedAt, k.UpdatedAt, k.Revision) { Team = k.Team };

    private static string[] List(string joined) => joined.Length == 0 ? [] : joined.Split('\n');

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
