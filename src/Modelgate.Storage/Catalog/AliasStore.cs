using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>An alias as the admin API and the audit log show it.</summary>
public sealed record AliasView(
    string Name,
    Guid ModelId,
    string ModelName,
    string ProviderName,
    string? Description,
    bool Deprecated,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Revision);

/// <summary>What <c>PUT /api/v1/aliases/{name}</c> sets: the target (its id or upstream model_id), a description, the deprecation flag.</summary>
public sealed record AliasChanges(string? ModelId, string? Description, bool Deprecated);

/// <summary>
/// Aliases: names clients may send as <c>model</c> for one model. A name that is a configured model's model_id may only be
/// a deprecation redirect (<c>deprecated</c>), since otherwise it would stand in for that model unannounced.
/// </summary>
public sealed class AliasStore(CatalogTransaction transactions, TimeProvider time)
{
    public const int MaxDescriptionLength = 500;
    private const string Entity = "alias";

    public Task<AliasView[]> ListAsync(CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var rows = await Query(db).OrderBy(a => a.Name).ToListAsync(cancellationToken);
            return rows.Select(ToView).ToArray();
        });

    public Task<CatalogResult<AliasView>> GetAsync(string name, CancellationToken cancellationToken) =>
        transactions.ReadAsync<CatalogResult<AliasView>>(async db =>
            await Query(db).SingleOrDefaultAsync(a => a.Name == name, cancellationToken) is { } row ? ToView(row) : Missing(name));

    /// <summary>Creates or replaces the alias; <paramref name="ifMatch"/> is its revision as last read (null: any).</summary>
    public Task<CatalogResult<AliasView>> SetAsync(string name, AliasChanges changes, int? ifMatch, string actor, CancellationToken cancellationToken)
    {
        if (AliasNames.Check(name) is { } nameError)
        {
            return Task.FromResult<CatalogResult<AliasView>>(CatalogError.Invalid("name", nameError));
        }

        if (string.IsNullOrWhiteSpace(changes.ModelId))
        {
            return Task.FromResult<CatalogResult<AliasView>>(CatalogError.Invalid("model_id", "model_id is required: the target model's id or its upstream model_id"));
        }

        if (changes.Description is { Length: > MaxDescriptionLength })
        {
            return Task.FromResult<CatalogResult<AliasView>>(CatalogError.Invalid("description", $"description must be at most {MaxDescriptionLength} characters"));
        }

        return transactions.RunAsync<AliasView>(async db =>
        {
            var found = await ModelViews.FindAsync(db, changes.ModelId, cancellationToken);
            if (found.Value is not { } model)
            {
                return found.Error!;
            }

            if (!changes.Deprecated && await db.Models.AnyAsync(m => m.ModelId == name, cancellationToken))
            {
                return CatalogError.Invalid("name",
                    $"'{name}' is the model_id of a configured model; an alias may take a model's name only as a deprecation redirect (deprecated: true)");
            }

            var row = await db.ModelAliases.SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
            if (ifMatch is { } expected && expected != (row?.Revision ?? 0))
            {
                // A revision of an alias that is gone (deleted since it was read) is stale like any other: 412, not 404.
                return CatalogError.Stale(Entity, row?.Revision ?? 0);
            }

            var now = time.UtcNow();
            var before = row is null ? null : Audit(row);
            if (row is null)
            {
                row = new ModelAliasEntity { Name = name, CreatedAt = now };
                db.ModelAliases.Add(row);
            }
            else if (row.ModelId == model.Id && row.Description == changes.Description && row.Deprecated == changes.Deprecated)
            {
                row.Model = model;
                return ToView(row);
            }

            row.ModelId = model.Id;
            row.Model = model;
            row.Description = changes.Description;
            row.Deprecated = changes.Deprecated;
            row.UpdatedAt = now;
            row.Revision++;
            AuditTrail.Record(db, actor, before is null ? "alias.create" : "alias.update", Entity, name, before, Audit(row), now);
            return ToView(row);
        }, cancellationToken);
    }

    public Task<CatalogResult<AliasView>> DeleteAsync(string name, int? ifMatch, string actor, CancellationToken cancellationToken) =>
        transactions.RunAsync<AliasView>(async db =>
        {
            var row = await Query(db).SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
            if (ifMatch is { } expected && expected != (row?.Revision ?? 0))
            {
                // Deleted since it was read: the caller's revision is stale (412), not a name never known (404).
                return CatalogError.Stale(Entity, row?.Revision ?? 0);
            }

            if (row is null)
            {
                return Missing(name);
            }

            // Calls to the alias would find nothing to split: the experiment must be stopped first.
            if (await ExperimentRows.Unfinished(db.Experiments, time.UtcNow()).Where(e => e.Target == name).Select(e => e.Name)
                .FirstOrDefaultAsync(cancellationToken) is { } experiment)
            {
                return CatalogError.Conflict(
                    $"alias '{Shorten(name)}' is the target of running experiment '{experiment}'; stop it first (POST /api/v1/experiments/{{id}}/stop)");
            }

            db.ModelAliases.Remove(row);
            AuditTrail.Record(db, actor, "alias.delete", Entity, name, Audit(row), null, time.UtcNow());
            return ToView(row);
        }, cancellationToken);

    /// <summary>Removes the aliases of a model being deleted (with force), inside the caller's unit of work, audited.</summary>
    internal static void Remove(ModelgateDbContext db, IEnumerable<ModelAliasEntity> aliases, string actor, DateTime now)
    {
        foreach (var alias in aliases)
        {
            db.ModelAliases.Remove(alias);
            AuditTrail.Record(db, actor, "alias.delete", Entity, alias.Name, Audit(alias), null, now);
        }
    }

    /// <summary>Points the alias at another model inside the caller's unit of work (a promotion), audited.</summary>
    internal static void Retarget(ModelgateDbContext db, ModelAliasEntity alias, ModelEntity model, string actor, DateTime now)
    {
        if (alias.ModelId == model.Id)
        {
            return;
        }

        var before = Audit(alias);
        alias.ModelId = model.Id;
        alias.Model = model;
        alias.UpdatedAt = now;
        alias.Revision++;
        AuditTrail.Record(db, actor, "alias.update", Entity, alias.Name, before, Audit(alias), now);
    }

    private static IQueryable<ModelAliasEntity> Query(ModelgateDbContext db) => db.ModelAliases.Include(a => a.Model).ThenInclude(m => m!.Provider);

    private static CatalogError Missing(string name) => CatalogError.NotFound($"no alias named '{Shorten(name)}'");

    private static string Shorten(string name) => name.Length > 80 ? name[..80] + "..." : name;

    private static object Audit(ModelAliasEntity a) => new { name = a.Name, model = a.ModelId, description = a.Description, deprecated = a.Deprecated };

    private static AliasView ToView(ModelAliasEntity a) =>
        new(a.Name, a.ModelId, a.Model?.ModelId ?? "", a.Model?.Provider?.Name ?? "", a.Description, a.Deprecated, a.CreatedAt, a.UpdatedAt, a.Revision);
}
