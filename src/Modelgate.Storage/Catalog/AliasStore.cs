using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Aliases: names clients may send as <c>model</c> for one model. A name that is a configured model's model_id may only be
/// a deprecation redirect (<c>deprecated</c>), since otherwise it would stand in for that model unannounced; and a model may
/// not be created or renamed to an alias's name (<see cref="NamedLikeAsync"/>). An alias's revision is the catalog version
/// that last changed it, so it never goes back, not even when the alias is deleted and created again.
/// </summary>
public sealed class AliasStore(CatalogTransaction transactions, CurrentCatalog catalog, TimeProvider time)
{
    public const int MaxDescriptionLength = AliasRules.MaxDescriptionLength;
    private const string Entity = "alias";

    public async Task<AliasView[]> ListAsync(CancellationToken cancellationToken)
    {
        var views = await transactions.ReadAsync(async db =>
        {
            var rows = await Query(db).OrderBy(a => a.Name).ToListAsync(cancellationToken);
            return rows.Select(ToView).ToArray();
        });
        return [.. views.Select(Resolved)];
    }

    public async Task<CatalogResult<AliasView>> GetAsync(string name, CancellationToken cancellationToken) =>
        Resolved(await transactions.ReadAsync<CatalogResult<AliasView>>(async db =>
            await Query(db).SingleOrDefaultAsync(a => a.Name == name, cancellationToken) is { } row ? ToView(row) : Missing(name)));

    /// <summary>Creates or replaces the alias; <paramref name="ifMatch"/> is its revision as last read (null: any).</summary>
    public async Task<CatalogResult<AliasView>> SetAsync(string name, AliasChanges changes, int? ifMatch, string actor, CancellationToken cancellationToken)
    {
        if (AliasNames.Check(name) is { } nameError)
        {
            return CatalogError.Invalid("name", nameError);
        }

        if (string.IsNullOrWhiteSpace(changes.ModelId))
        {
            return CatalogError.Invalid("model_id", "model_id is required: the target model's id or its upstream model_id");
        }

        if (changes.Description is { Length: > MaxDescriptionLength })
        {
            return CatalogError.Invalid("description", $"description must be at most {MaxDescriptionLength} characters");
        }

        return Resolved(await transactions.RunAsync<AliasView>(async db =>
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

            if (changes.Deprecated && model.ModelId == name)
            {
                return CatalogError.Invalid("model_id",
                    $"'{name}' is the model_id of the target itself: a deprecation alias redirects an old name to another model (its replacement), not a model to itself");
            }

            var row = await db.ModelAliases.SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
            if (ifMatch is { } expected && expected != (row?.Revision ?? 0))
            {
                // A revision of an alias that is gone (deleted since it was read) is stale like any other: 412, not 404.
                return CatalogError.Stale(Entity, row?.Revision ?? 0);
            }

            if (row?.ModelId != model.Id
                && AliasEligibility.Check(name, model.ModelId, model.IsActive, model.Provider!.Name, model.Provider.IsActive, "model_id") is { } refused)
            {
                // Only a new target is checked: an alias kept through its target's forced deactivation may still be edited.
                return refused;
            }

            if (row is not null && row.ModelId == model.Id && row.Description == changes.Description && row.Deprecated == changes.Deprecated)
            {
                row.Model = model;
                return ToView(row);
            }

            var now = time.UtcNow();
            var before = row is null ? null : Audit(row);
            if (row is null)
            {
                row = new ModelAliasEntity { Name = name, CreatedAt = now };
                db.ModelAliases.Add(row);
            }

            row.ModelId = model.Id;
            row.Model = model;
            row.Description = changes.Description;
            row.Deprecated = changes.Deprecated;
            row.UpdatedAt = now;
            row.Revision = await RevisionAsync(db, cancellationToken);
            AuditTrail.Record(db, actor, before is null ? "alias.create" : "alias.update", Entity, name, before, Audit(row), now);
            return ToView(row);
        }, cancellationToken));
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

    /// <summary>
    /// The revision of an alias written in this unit of work: the catalog version it publishes. Versions only grow, so an
    /// alias deleted and created again never comes back at a revision a caller read before (If-Match stays safe).
    /// </summary>
    internal static async Task<int> RevisionAsync(ModelgateDbContext db, CancellationToken cancellationToken) =>
        checked((int)await CatalogTransaction.NextVersionAsync(db, cancellationToken));

    /// <summary>Removes the aliases of a model being deleted (with force), inside the caller's unit of work, audited.</summary>
    internal static void Remove(ModelgateDbContext db, IEnumerable<ModelAliasEntity> aliases, string actor, DateTime now)
    {
        foreach (var alias in aliases)
        {
            db.ModelAliases.Remove(alias);
            AuditTrail.Record(db, actor, "alias.delete", Entity, alias.Name, Audit(alias), null, now);
        }
    }

    /// <summary>
    /// Refuses a model_id that an alias already has as its name (for a model being created or renamed): a model of that name
    /// would silently take a plain alias's callers, and could never be reached by name past a deprecation alias.
    /// </summary>
    internal static async Task<CatalogError?> NamedLikeAsync(ModelgateDbContext db, string modelId, CancellationToken cancellationToken)
    {
        if (await Query(db).AsNoTracking().SingleOrDefaultAsync(a => a.Name == modelId, cancellationToken) is not { } alias)
        {
            return null;
        }

        var what = alias.Deprecated ? "deprecation alias" : "alias";
        var effect = alias.Deprecated
            ? "calls naming it would still go to the alias's target, never to this model"
            : "a model of that name would silently take the alias's callers";
        return CatalogError.Conflict(
            $"model_id '{modelId}' is the name of {what} '{alias.Name}' -> model '{alias.Model?.ModelId}' on provider '{alias.Model?.Provider?.Name}'; {effect}. "
            + $"Delete the alias first (DELETE /api/v1/aliases/{alias.Name}), or rename it (create it under another name, then delete this one)",
            "model_id");
    }

    /// <summary>Alias names for a message: <c>'a', 'b'</c>, at most ten, then how many more.</summary>
    internal static string Names(IEnumerable<string> names)
    {
        var all = names.ToList();
        return string.Join(", ", all.Take(10).Select(n => $"'{n}'")) + (all.Count > 10 ? $" and {all.Count - 10} more" : "");
    }

    private CatalogResult<AliasView> Resolved(CatalogResult<AliasView> result) => result.Value is { } view ? Resolved(view) : result;

    // What this instance resolves the alias to now, from the catalog version it runs (the one a write just published, for a write).
    private AliasView Resolved(AliasView view)
    {
        var state = catalog.State;
        if (state.Resolutions.TryAlias(view.Name, out var alias))
        {
            return alias.Entry.Model is { } resolved
                ? view with { ResolvesTo = new AliasTarget(resolved.Model.ModelId, resolved.Provider.Name) }
                : view with { ResolveError = alias.Entry.Error };
        }

        return view with
        {
            ResolveError = state.Snapshot.Aliases.ContainsKey(view.Name)
                ? $"alias '{view.Name}' gives way to the configured model of the same model_id (catalog v{state.Snapshot.Version}); calls naming it reach that model"
                : $"alias '{view.Name}' is not in catalog v{state.Snapshot.Version}, which this instance runs; it resolves once the instance applies the version that added it",
        };
    }

    /// <summary>Points the alias at another model inside the caller's unit of work (a promotion), audited.</summary>
    internal static async Task RetargetAsync(ModelgateDbContext db, ModelAliasEntity alias, ModelEntity model, string actor, DateTime now, CancellationToken cancellationToken)
    {
        if (alias.ModelId == model.Id)
        {
            return;
        }

        var before = Audit(alias);
        alias.ModelId = model.Id;
        alias.Model = model;
        alias.UpdatedAt = now;
        alias.Revision = await RevisionAsync(db, cancellationToken);
        AuditTrail.Record(db, actor, "alias.update", Entity, alias.Name, before, Audit(alias), now);
    }

    private static IQueryable<ModelAliasEntity> Query(ModelgateDbContext db) => db.ModelAliases.Include(a => a.Model).ThenInclude(m => m!.Provider);

    private static CatalogError Missing(string name) => CatalogError.NotFound($"no alias named '{Shorten(name)}'");

    private static string Shorten(string name) => name.Length > 80 ? name[..80] + "..." : name;

    private static object Audit(ModelAliasEntity a) => new { name = a.Name, model = a.ModelId, description = a.Description, deprecated = a.Deprecated };

    private static AliasView ToView(ModelAliasEntity a) =>
        new(a.Name, a.ModelId, a.Model?.ModelId ?? "", a.Model?.Provider?.Name ?? "", a.Description, a.Deprecated, a.CreatedAt, a.UpdatedAt, a.Revision);
}
