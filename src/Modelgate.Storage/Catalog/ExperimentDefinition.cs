using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Writes an experiment's definition into its row after checking the whole of it as it would be: the validator's rules
/// on the merged fields, then the catalog's (a unique name, a target that is a purpose or an alias, variant models that
/// exist, are active and serve the target's kind, one running experiment per target, a target that stays put while it runs).
/// </summary>
internal static class ExperimentDefinition
{
    /// <summary>
    /// Checks the experiment as it would be after <paramref name="changes"/> (the whole of it: cross-field rules, the
    /// catalog's rules) and, when it may be, writes it into <paramref name="row"/>. Returns the refusal, or null.
    /// </summary>
    public static async Task<CatalogError?> WriteAsync(
        ModelgateDbContext db, ExperimentEntity row, ExperimentChanges changes, DateTime now, bool creating, CancellationToken cancellationToken)
    {
        var current = creating ? null : ExperimentRows.ToRecord(row);
        var merged = current is null ? changes : Merge(current, changes);
        var errors = ExperimentValidator.Validate(merged, creating: true);
        if (!errors.IsEmpty)
        {
            return CatalogError.Invalid(errors);
        }

        var name = merged.Name.Value!;
        if (name != row.Name && await db.Experiments.AnyAsync(e => e.Name == name && e.Id != row.Id, cancellationToken))
        {
            return CatalogError.Conflict($"an experiment named '{name}' already exists; choose another name", "name");
        }

        var target = merged.Target.Value!;
        var nowOffset = new DateTimeOffset(now);
        if (current is not null && target != current.Target && current.Phase(nowOffset) == "running")
        {
            return CatalogError.Conflict(
                $"experiment '{current.Name}' is running on '{current.Target}': its target cannot change while it runs; stop it and create another experiment on '{target}'", "target");
        }

        var kind = await TargetKindAsync(db, target, cancellationToken);
        if (kind.Error is { } targetError)
        {
            return targetError;
        }

        var variants = new List<ExperimentVariant>();
        var checkModels = creating || changes.Variants.HasValue || changes.Target.HasValue;
        var given = merged.Variants.Value!;
        for (var i = 0; i < given.Length; i++)
        {
            var v = given[i]!;
            Guid? modelId = null;
            if (v.ModelId is { } reference)
            {
                // Variants left as they were keep their models as stored; new ones, or a new target, are checked again.
                var model = !checkModels && Guid.TryParse(reference, out var kept)
                    ? new CatalogResult<Guid>(kept, null)
                    : await VariantModelAsync(db, reference, kind.Value, target, $"variants[{i}].model_id", cancellationToken);
                if (model.Error is { } modelError)
                {
                    return modelError;
                }

                modelId = model.Value;
            }

            var parameters = v.Parameters is { Temperature: null, TopP: null, MaxTokens: null } ? null : v.Parameters;
            variants.Add(new ExperimentVariant(v.Name!, modelId, v.Weight!.Value, parameters, v.Shadow));
        }

        var endsAt = merged.EndsAt.Or(null);
        if ((creating || changes.EndsAt.HasValue) && endsAt is { } end && end <= nowOffset)
        {
            return CatalogError.Invalid("ends_at", $"ends_at ({end:u}) is not in the future; to stop an experiment now, POST /api/v1/experiments/{{id}}/stop");
        }

        var state = current?.State ?? ExperimentState.Running;
        // Checked whenever the result may route calls: a new target, but also a new end that revives an ended experiment.
        if (state == ExperimentState.Running && (endsAt is null || endsAt > nowOffset)
            && await ExperimentRows.Unfinished(db.Experiments, now).Where(e => e.Target == target && e.Id != row.Id)
                .Select(e => e.Name).FirstOrDefaultAsync(cancellationToken) is { } other)
        {
            return CatalogError.Conflict(
                $"experiment '{other}' is already running on '{target}' (one experiment per purpose or alias at a time); stop it first (POST /api/v1/experiments/{{id}}/stop)", "target");
        }

        ExperimentRows.Apply(row, new Experiment
        {
            Id = row.Id,
            Name = name,
            Target = target,
            Variants = variants,
            Stickiness = merged.Stickiness.Or(null) is { } stickiness && ExperimentStickinesses.TryParse(stickiness, out var parsed) ? parsed : ExperimentStickiness.Session,
            Guardrails = [.. (merged.Guardrails.Or(null) ?? []).OfType<ExperimentGuardrail>()],
            StartsAt = merged.StartsAt.Or(null),
            EndsAt = endsAt,
            State = state,
            StopReason = current?.StopReason,
            Description = merged.Description.Or(null),
            Alpha = merged.Alpha.Or(null) ?? ExperimentValidator.DefaultAlpha,
        });
        return null;
    }

    // The experiment as stored, with the changes laid over it: what is validated and written as a whole.
    private static ExperimentChanges Merge(Experiment current, ExperimentChanges changes) => new()
    {
        Name = changes.Name.Or(current.Name),
        Target = changes.Target.Or(current.Target),
        Variants = changes.Variants.HasValue
            ? changes.Variants
            : current.Variants.Select(v => new ExperimentVariantChanges(v.Name, v.ModelId?.ToString(), v.Weight, v.Shadow, v.Parameters)).ToArray(),
        Stickiness = changes.Stickiness.Or(current.Stickiness.ToName()),
        Guardrails = changes.Guardrails.HasValue ? changes.Guardrails : current.Guardrails.ToArray(),
        StartsAt = changes.StartsAt.Or(current.StartsAt),
        EndsAt = changes.EndsAt.Or(current.EndsAt),
        Description = changes.Description.Or(current.Description),
        Alpha = changes.Alpha.Or(current.Alpha),
    };

    // The kind of model the target serves: a purpose's, or the alias's model's.
    private static async Task<CatalogResult<ModelKind>> TargetKindAsync(ModelgateDbContext db, string target, CancellationToken cancellationToken)
    {
        if (Purpose.TryParse(target, out var purpose))
        {
            return purpose.RequiredModelKind;
        }

        var alias = await db.ModelAliases.AsNoTracking().Include(a => a.Model).SingleOrDefaultAsync(a => a.Name == target, cancellationToken);
        if (alias?.Model is not { } model)
        {
            return CatalogError.Invalid("target",
                $"'{ExperimentStore.Shorten(target)}' is neither a purpose (chat, agents, embeddings, agents/<type>) nor an alias; create the alias first (PUT /api/v1/aliases/{{name}})");
        }

        return ModelKinds.TryParse(model.Type, out var kind) ? kind : ModelKind.Chat;
    }

    private static async Task<CatalogResult<Guid>> VariantModelAsync(
        ModelgateDbContext db, string reference, ModelKind kind, string target, string field, CancellationToken cancellationToken)
    {
        var found = await ModelViews.FindAsync(db, reference, cancellationToken);
        if (found.Value is not { } model)
        {
            return CatalogError.Invalid(field, found.Error!.Detail);
        }

        ModelKinds.TryParse(model.Type, out var modelKind);
        if (modelKind != kind)
        {
            return CatalogError.Invalid(field, $"model '{model.ModelId}' is a {model.Type} model and the target '{target}' serves {kind.ToName()} models");
        }

        if (!model.IsActive || model.Provider is { IsActive: false })
        {
            return CatalogError.Conflict(
                $"model '{model.ModelId}' {(model.IsActive ? $"belongs to inactive provider '{model.Provider!.Name}'" : "is inactive")} "
                + "and cannot serve a variant; activate it first", field);
        }

        return model.Id;
    }
}
