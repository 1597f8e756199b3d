using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Validation;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Experiments: catalog data like defaults, so every accepted write is one audited change and one new catalog version.
/// Referred to by id or name. At most one experiment per target is running and not ended; stopping is for good (a
/// rollback of the catalog may bring a stopped one back); promoting makes a variant's model the target's in the same
/// transaction that stops the experiment.
/// </summary>
public sealed class ExperimentStore(CatalogTransaction transactions, DefaultsStore defaults, TimeProvider time)
{
    private const string Entity = "experiment";

    public Task<ExperimentView[]> ListAsync(CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var rows = await db.Experiments.AsNoTracking().OrderByDescending(e => e.CreatedAt).ThenBy(e => e.Name).ToListAsync(cancellationToken);
            var models = await ModelsAsync(db, rows, cancellationToken);
            return rows.Select(r => ToView(r, models)).ToArray();
        });

    public Task<CatalogResult<ExperimentView>> GetAsync(string reference, CancellationToken cancellationToken) =>
        transactions.ReadAsync<CatalogResult<ExperimentView>>(async db =>
            await FindAsync(db, reference, cancellationToken) is { } row ? await ViewAsync(db, row, cancellationToken) : Missing(reference));

    public Task<CatalogResult<ExperimentView>> CreateAsync(ExperimentChanges changes, string actor, CancellationToken cancellationToken)
    {
        var errors = ExperimentValidator.Validate(changes, creating: true);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ExperimentView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ExperimentView>(async db =>
        {
            var now = time.UtcNow();
            var row = new ExperimentEntity
            {
                Id = Guid.CreateVersion7(), Name = "", Target = "", Stickiness = "", State = ExperimentRows.Running, Variants = "[]", Guardrails = "[]",
                CreatedAt = now, UpdatedAt = now, Revision = 1,
            };
            if (await ExperimentDefinition.WriteAsync(db, row, changes, now, creating: true, cancellationToken) is { } refused)
            {
                return refused;
            }

            db.Experiments.Add(row);
            AuditTrail.Record(db, actor, "experiment.create", Entity, row.Id.ToString(), null, ExperimentRows.Audit(row), now);
            return await ViewAsync(db, row, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Changes the fields present in <paramref name="changes"/>; <paramref name="ifMatch"/> is the revision as last read (null: any).</summary>
    public Task<CatalogResult<ExperimentView>> UpdateAsync(string reference, ExperimentChanges changes, int? ifMatch, string actor, CancellationToken cancellationToken)
    {
        var errors = ExperimentValidator.Validate(changes, creating: false);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ExperimentView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ExperimentView>(async db =>
        {
            var row = await FindAsync(db, reference, cancellationToken);
            if (ifMatch is { } expected && expected != (row?.Revision ?? 0))
            {
                // Deleted since it was read: the caller's revision is stale (412), as for aliases.
                return CatalogError.Stale(Entity, row?.Revision ?? 0);
            }

            if (row is null)
            {
                return Missing(reference);
            }

            var now = time.UtcNow();
            var before = ExperimentRows.Audit(row);
            var definition = ExperimentRows.Definition(row);
            if (await ExperimentDefinition.WriteAsync(db, row, changes, now, creating: false, cancellationToken) is { } refused)
            {
                return refused;
            }

            if (ExperimentRows.Definition(row) != definition)
            {
                row.Revision++;
                row.UpdatedAt = now;
                AuditTrail.Record(db, actor, "experiment.update", Entity, row.Id.ToString(), before, ExperimentRows.Audit(row), now);
            }

            return await ViewAsync(db, row, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Stops the experiment for good: its target's calls go back to the target as configured. Stopping a stopped one
    /// changes nothing (and publishes no version).
    /// </summary>
    public Task<CatalogResult<ExperimentView>> StopAsync(string reference, string? reason, string actor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        FieldRules.Text(errors, "reason", reason, ExperimentValidator.MaxStopReasonLength, required: false, nullable: true);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ExperimentView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ExperimentView>(async db =>
        {
            if (await FindAsync(db, reference, cancellationToken) is not { } row)
            {
                return Missing(reference);
            }

            if (row.State != ExperimentRows.Stopped)
            {
                Stop(db, row, reason ?? $"stopped by {actor}", actor, time.UtcNow());
            }

            return await ViewAsync(db, row, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="variantName"/>'s model the target's (the purpose's default, with its rules, or the alias's
    /// model) and stops the experiment with reason <c>promoted variant '…'</c>, in one transaction audited as ordinary
    /// changes, so rolling that version back restores both. A variant without a model (the target as configured) has
    /// nothing to move: promoting it only stops the experiment. The variant's parameter overrides are not carried over.
    /// </summary>
    public Task<CatalogResult<ExperimentView>> PromoteAsync(string reference, string? variantName, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(variantName))
        {
            return Task.FromResult<CatalogResult<ExperimentView>>(CatalogError.Invalid("variant", "variant is required: the name of the variant to promote"));
        }

        return transactions.RunAsync<ExperimentView>(async db =>
        {
            if (await FindAsync(db, reference, cancellationToken) is not { } row)
            {
                return Missing(reference);
            }

            var experiment = ExperimentRows.ToRecord(row);
            if (experiment.Variants.FirstOrDefault(v => string.Equals(v.Name, variantName, StringComparison.OrdinalIgnoreCase)) is not { } variant)
            {
                return CatalogError.Invalid("variant",
                    $"experiment '{row.Name}' has no variant '{Shorten(variantName)}'; its variants are {string.Join(", ", experiment.Variants.Select(v => $"'{v.Name}'"))}");
            }

            var now = time.UtcNow();
            if (variant.ModelId is { } modelId && await MoveTargetAsync(db, experiment, variant, modelId, actor, now, cancellationToken) is { } refused)
            {
                return refused;
            }

            var reason = $"promoted variant '{variant.Name}'";
            Stop(db, row, row.State == ExperimentRows.Stopped ? $"{reason} (stopped before: {row.StopReason})" : reason, actor, now, "experiment.promote");
            return await ViewAsync(db, row, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Deletes a stopped, ended or not yet started experiment (its usage and feedback stay); a running one is a 409.</summary>
    public Task<CatalogResult<ExperimentView>> DeleteAsync(string reference, int? ifMatch, string actor, CancellationToken cancellationToken) =>
        transactions.RunAsync<ExperimentView>(async db =>
        {
            var row = await FindAsync(db, reference, cancellationToken);
            if (ifMatch is { } expected && expected != (row?.Revision ?? 0))
            {
                return CatalogError.Stale(Entity, row?.Revision ?? 0);
            }

            if (row is null)
            {
                return Missing(reference);
            }

            if (ExperimentRows.ToRecord(row).Phase(time.GetUtcNow()) == "running")
            {
                return CatalogError.Conflict(
                    $"experiment '{row.Name}' is running on '{row.Target}'; stop it first (POST /api/v1/experiments/{row.Id}/stop), then delete it");
            }

            var view = await ViewAsync(db, row, cancellationToken);
            db.Experiments.Remove(row);
            AuditTrail.Record(db, actor, "experiment.delete", Entity, row.Id.ToString(), ExperimentRows.Audit(row), null, time.UtcNow());
            return view;
        }, cancellationToken);

    /// <summary>Stops an experiment inside the caller's unit of work (a forced model change, a promotion), audited.</summary>
    internal static void Stop(ModelgateDbContext db, ExperimentEntity row, string reason, string actor, DateTime now, string action = "experiment.stop")
    {
        var before = ExperimentRows.Audit(row);
        row.State = ExperimentRows.Stopped;
        row.StopReason = reason.Length <= ExperimentValidator.MaxStopReasonLength ? reason : reason[..(ExperimentValidator.MaxStopReasonLength - 3)] + "...";
        row.Revision++;
        row.UpdatedAt = now;
        AuditTrail.Record(db, actor, action, Entity, row.Id.ToString(), before, ExperimentRows.Audit(row), now);
    }

    // The purpose's default row (with the rules DefaultsStore applies) or the alias's model.
    private async Task<CatalogError?> MoveTargetAsync(
        ModelgateDbContext db, Experiment experiment, ExperimentVariant variant, Guid modelId, string actor, DateTime now, CancellationToken cancellationToken)
    {
        var model = await db.Models.Include(m => m.Provider).SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken);
        if (model is null)
        {
            return CatalogError.Conflict($"variant '{variant.Name}' uses a model that no longer exists ({modelId}); there is nothing to promote", "variant");
        }

        if (Purpose.TryParse(experiment.Target, out var purpose))
        {
            return await defaults.AssignAsync(db, purpose, model, "variant", actor, cancellationToken);
        }

        var alias = await db.ModelAliases.Include(a => a.Model).SingleOrDefaultAsync(a => a.Name == experiment.Target, cancellationToken);
        if (alias is null)
        {
            return CatalogError.Conflict($"the experiment's target alias '{experiment.Target}' no longer exists; there is nothing to promote to", "variant");
        }

        // As for PUT /aliases: an alias only points at a model that can serve, and a deprecation redirect not at its own name.
        if (AliasEligibility.Check(alias.Name, model.ModelId, model.IsActive, model.Provider!.Name, model.Provider.IsActive, "variant") is { } cannot)
        {
            return cannot;
        }

        if (alias.Deprecated && alias.Name == model.ModelId)
        {
            return CatalogError.Invalid("variant", $"alias '{alias.Name}' is a deprecation redirect from model_id '{model.ModelId}' and cannot point at that model itself");
        }

        if (alias.Model is { } current && current.Type != model.Type)
        {
            return CatalogError.Invalid("variant", $"model '{model.ModelId}' is a {model.Type} model and alias '{alias.Name}' serves {current.Type} models");
        }

        await AliasStore.RetargetAsync(db, alias, model, actor, now, cancellationToken);
        return null;
    }

    private static async Task<ExperimentEntity?> FindAsync(ModelgateDbContext db, string reference, CancellationToken cancellationToken) =>
        Guid.TryParse(reference, out var id)
            ? await db.Experiments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            : reference.Length > ExperimentValidator.MaxNameLength ? null : await db.Experiments.SingleOrDefaultAsync(e => e.Name == reference, cancellationToken);

    private async Task<ExperimentView> ViewAsync(ModelgateDbContext db, ExperimentEntity row, CancellationToken cancellationToken) =>
        ToView(row, await ModelsAsync(db, [row], cancellationToken));

    private static async Task<Dictionary<Guid, ModelEntity>> ModelsAsync(ModelgateDbContext db, IEnumerable<ExperimentEntity> rows, CancellationToken cancellationToken)
    {
        var ids = rows.SelectMany(r => ExperimentRows.ReadVariants(r.Variants)).Select(v => v.ModelId).OfType<Guid>().Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Models.AsNoTracking().Include(m => m.Provider).Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
    }

    private ExperimentView ToView(ExperimentEntity row, Dictionary<Guid, ModelEntity> models)
    {
        var experiment = ExperimentRows.ToRecord(row);
        var variants = experiment.Variants.Select((v, i) =>
        {
            var model = v.ModelId is { } id ? models.GetValueOrDefault(id) : null;
            return new ExperimentVariantView(v.Name, i == 0, v.ModelId, model?.ModelId, model?.Provider?.Name, v.Weight, v.Shadow, v.Parameters);
        }).ToList();
        return new ExperimentView(row.Id, row.Name, row.Target, Purpose.TryParse(row.Target, out _) ? "purpose" : "alias", row.State, experiment.Phase(time.GetUtcNow()),
            row.Stickiness, row.StartsAt, row.EndsAt, row.StopReason, row.Description, row.Alpha, variants, experiment.Guardrails, row.CreatedAt, row.UpdatedAt, row.Revision);
    }

    private static CatalogError Missing(string reference) => CatalogError.NotFound($"no experiment with id or name '{Shorten(reference)}'");

    internal static string Shorten(string text) => new([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
}
