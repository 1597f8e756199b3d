using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Core.Usage;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>Reads and changes models, including which purposes they are the default for.</summary>
public sealed class ModelStore(CatalogTransaction transactions, DefaultsStore defaults, TimeProvider time)
{
    private const string Entity = "model";

    public Task<Page<ModelView>> ListAsync(ModelFilter filter, int limit, int offset, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var query = db.Models.AsNoTracking().Include(m => m.Provider).AsQueryable();
            if (filter.Type is { } type)
            {
                query = query.Where(m => m.Type == type);
            }

            if (filter.ProviderId is { } providerId)
            {
                query = query.Where(m => m.ProviderId == providerId);
            }

            if (filter.IsActive is { } active)
            {
                query = query.Where(m => m.IsActive == active);
            }

            if (filter.Search is { Length: > 0 } search)
            {
                var text = search.ToLowerInvariant();
                query = query.Where(m => m.ModelId.ToLower().Contains(text) || (m.DisplayName != null && m.DisplayName.ToLower().Contains(text)));
            }

            var total = await query.CountAsync(cancellationToken);
            var rows = await query.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
            var byModel = await ModelViews.DefaultsByModelAsync(db, cancellationToken);
            return new Page<ModelView>([.. rows.Select(m => ModelViews.ToView(m, [.. byModel[m.Id]]))], total, limit, offset);
        });

    public Task<CatalogResult<ModelView>> GetAsync(string reference, CancellationToken cancellationToken) =>
        transactions.ReadAsync<CatalogResult<ModelView>>(async db =>
        {
            var found = await ModelViews.FindAsync(db, reference, cancellationToken);
            return found.Value is { } model ? ModelViews.ToView(model, [.. (await ModelViews.DefaultsByModelAsync(db, cancellationToken))[model.Id]]) : found.Error!;
        });

    /// <summary>The model's price periods, newest first.</summary>
    public Task<CatalogResult<ModelPriceView[]>> PricesAsync(string reference, CancellationToken cancellationToken) =>
        transactions.ReadAsync<CatalogResult<ModelPriceView[]>>(async db =>
        {
            var found = await ModelViews.FindAsync(db, reference, cancellationToken);
            return found.Value is { } model ? await ModelPrices.HistoryAsync(db, model.Id, cancellationToken) : found.Error!;
        });

    public Task<CatalogResult<ModelView>> CreateAsync(ModelChanges changes, string actor, CancellationToken cancellationToken)
    {
        var errors = ModelValidator.Validate(changes, creating: true);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ModelView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ModelView>(async db =>
        {
            var provider = await FindProviderAsync(db, changes.ProviderId, cancellationToken);
            if (provider.Value is not { } owner)
            {
                return provider.Error!;
            }

            var modelId = changes.ModelId.Value!;
            if (await db.Models.AnyAsync(m => m.ProviderId == owner.Id && m.ModelId == modelId, cancellationToken))
            {
                return CatalogError.Conflict($"provider '{owner.Name}' already has a model '{modelId}'", "model_id");
            }

            if (await AliasStore.NamedLikeAsync(db, modelId, cancellationToken) is { } taken)
            {
                return taken;
            }

            var now = time.UtcNow();
            var model = new ModelEntity { Id = Guid.CreateVersion7(), ProviderId = owner.Id, Provider = owner, ModelId = modelId, Type = "chat", CreatedAt = now, UpdatedAt = now };
            Apply(model, changes);
            var setBy = actor;
            if (!changes.InputPricePerMillion.HasValue && !changes.OutputPricePerMillion.HasValue && !changes.CachedInputPricePerMillion.HasValue
                && ProviderKinds.TryParse(owner.Type, out var kind) && BuiltInPrices.For(kind, modelId) is { } listed)
            {
                // No prices given: the built-in list's, so the model's usage is never counted as free by mistake.
                (model.InputPricePerMillion, model.OutputPricePerMillion, model.CachedInputPricePerMillion) = (listed.InputPerMillion, listed.OutputPerMillion, listed.CachedInputPerMillion);
                setBy = ModelPrices.BuiltIn;
            }

            db.Models.Add(model);
            ModelPrices.Record(db, model, setBy, now);
            var result = await ApplyDefaultsAsync(db, model, [], changes, force: false, actor, cancellationToken);
            if (result.Value is { } created)
            {
                AuditTrail.Record(db, actor, "model.create", Entity, model.Id.ToString(), null, created, now);
            }

            return result;
        }, cancellationToken);
    }

    public Task<CatalogResult<ModelView>> UpdateAsync(string reference, ModelChanges changes, int? ifMatch, bool force, string actor, CancellationToken cancellationToken)
    {
        var errors = ModelValidator.Validate(changes, creating: false);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ModelView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ModelView>(async db =>
        {
            var found = await ModelViews.FindAsync(db, reference, cancellationToken);
            if (found.Value is not { } model)
            {
                return found.Error!;
            }

            if (ifMatch is { } expected && expected != model.Revision)
            {
                return CatalogError.Stale(Entity, model.Revision);
            }

            var held = (await ModelViews.DefaultsByModelAsync(db, cancellationToken))[model.Id].ToList();
            var before = ModelViews.ToView(model, held);
            var wasProviderActive = model.Provider!.IsActive;
            if (changes.ProviderId is { HasValue: true, Value: { } providerId } && providerId != model.ProviderId)
            {
                var provider = await FindProviderAsync(db, changes.ProviderId, cancellationToken);
                if (provider.Value is not { } owner)
                {
                    return provider.Error!;
                }

                model.ProviderId = owner.Id;
                model.Provider = owner;
            }

            var newModelId = changes.ModelId.Or(model.ModelId)!;
            if ((newModelId != model.ModelId || model.ProviderId != before.ProviderId)
                && await db.Models.AnyAsync(m => m.ProviderId == model.ProviderId && m.ModelId == newModelId && m.Id != model.Id, cancellationToken))
            {
                return CatalogError.Conflict($"provider '{model.Provider!.Name}' already has a model '{newModelId}'", "model_id");
            }

            if (newModelId != model.ModelId && await AliasStore.NamedLikeAsync(db, newModelId, cancellationToken) is { } taken)
            {
                return taken;
            }

            model.ModelId = newModelId;
            var (wasType, servedBefore) = (model.Type, AliasEligibility.CanServe(before.IsActive, wasProviderActive));
            Apply(model, changes);
            // Aliases pointing at the model: one that could serve before the change must still serve after it (the model active,
            // on an active provider: AliasEligibility), and a new type would serve its callers the wrong kind. Like defaults,
            // refused unless forced; forced, the aliases stay (they answer again once the model can serve them).
            var lost = servedBefore && !AliasEligibility.CanServe(model.IsActive, model.Provider!.IsActive);
            if ((lost || wasType != model.Type) && !force
                && await db.ModelAliases.Where(a => a.ModelId == model.Id).OrderBy(a => a.Name).Select(a => a.Name).ToListAsync(cancellationToken) is { Count: > 0 } aliases)
            {
                var (why, field) = !lost ? ($"its callers a {wasType} model", "type")
                    : !model.IsActive ? ("once it is inactive", "is_active")
                    : ($"once it is on inactive provider '{model.Provider.Name}'", "provider_id");
                return CatalogError.Forceable(
                    $"model '{model.ModelId}' is the target of alias {AliasStore.Names(aliases)}, which could no longer serve {why}; "
                    + "point them at another model first (PUT /api/v1/aliases/{name}), or pass ?force=true to change it anyway (the aliases stay)",
                    field);
            }

            // Running experiments with a variant on the model: the same, except that forced, they are stopped (a variant that
            // cannot serve would quietly hand its share to the others and skew what the experiment measures).
            var deactivated = lost;
            var gone = model.IsActive ? $"once it is on inactive provider '{model.Provider.Name}'" : "once it is inactive";
            if (deactivated || wasType != model.Type)
            {
                var experiments = await ExperimentGuards.UsingAsync(db, [model.Id], time.UtcNow(), cancellationToken);
                if (experiments.Count > 0 && !force)
                {
                    return CatalogError.Forceable(
                        $"model '{model.ModelId}' serves {ExperimentGuards.Describe(experiments)}, which could no longer use it "
                        + $"{(deactivated ? gone : $"as a {wasType} model")}; stop them first (POST /api/v1/experiments/{{id}}/stop), "
                        + "or pass ?force=true to change it anyway and stop them",
                        deactivated ? (model.IsActive ? "provider_id" : "is_active") : "type");
                }

                ExperimentGuards.StopAll(db, experiments.Select(e => e.Experiment),
                    $"model '{model.ModelId}' {(deactivated ? (model.IsActive ? "was moved to an inactive provider" : "was deactivated") : $"was changed to type '{model.Type}'")} (forced by {actor})", actor, time.UtcNow());
            }

            if ((model.InputPricePerMillion, model.OutputPricePerMillion, model.CachedInputPricePerMillion) != (before.InputPricePerMillion, before.OutputPricePerMillion, before.CachedInputPricePerMillion))
            {
                // A new price period from now on; calls already recorded keep the cost they had.
                ModelPrices.Record(db, model, actor, time.UtcNow());
            }

            var now = time.UtcNow();
            model.Revision++;
            model.UpdatedAt = now;
            var result = await ApplyDefaultsAsync(db, model, held, changes, force, actor, cancellationToken);
            if (result.Value is { } after)
            {
                AuditTrail.Record(db, actor, "model.update", Entity, model.Id.ToString(), before, after, now);
            }

            return result;
        }, cancellationToken);
    }

    public Task<CatalogResult<ModelView>> DeleteAsync(string reference, int? ifMatch, bool force, string actor, CancellationToken cancellationToken) =>
        transactions.RunAsync<ModelView>(async db =>
        {
            var found = await ModelViews.FindAsync(db, reference, cancellationToken);
            if (found.Value is not { } model)
            {
                return found.Error!;
            }

            if (ifMatch is { } expected && expected != model.Revision)
            {
                return CatalogError.Stale(Entity, model.Revision);
            }

            var dependents = await db.PurposeDefaults.Where(d => d.ModelId == model.Id).ToListAsync(cancellationToken);
            if (dependents.Count > 0 && !force)
            {
                return CatalogError.Forceable(
                    $"model '{model.ModelId}' is the default for {ProviderStore.Purposes(dependents)}; set other defaults first, or pass ?force=true to delete it and clear those defaults");
            }

            var aliases = await db.ModelAliases.Where(a => a.ModelId == model.Id).OrderBy(a => a.Name).ToListAsync(cancellationToken);
            if (aliases.Count > 0 && !force)
            {
                return CatalogError.Forceable(
                    $"model '{model.ModelId}' is the target of alias {AliasStore.Names(aliases.Select(a => a.Name))}; point them at another model first, or pass ?force=true to delete it and those aliases");
            }

            var now = time.UtcNow();
            var experiments = await ExperimentGuards.UsingAsync(db, [model.Id], now, cancellationToken);
            if (experiments.Count > 0 && !force)
            {
                return CatalogError.Forceable(
                    $"model '{model.ModelId}' serves {ExperimentGuards.Describe(experiments)}; stop them first (POST /api/v1/experiments/{{id}}/stop), "
                    + "or pass ?force=true to delete it and stop them");
            }

            var before = ModelViews.ToView(model, [.. dependents.Select(d => d.Purpose)]);
            await ModelViews.ClearDefaultsAsync(db, dependents, actor, now, cancellationToken);
            ExperimentGuards.StopAll(db, experiments.Select(e => e.Experiment), $"model '{model.ModelId}' was deleted (forced by {actor})", actor, now);
            ExperimentGuards.StopAll(db, await ExperimentGuards.OnAliasesAsync(db, [.. aliases.Select(a => a.Name)], now, cancellationToken),
                $"its target alias was deleted with model '{model.ModelId}' (forced by {actor})", actor, now);
            AliasStore.Remove(db, aliases, actor, now);
            db.Models.Remove(model);
            AuditTrail.Record(db, actor, "model.delete", Entity, model.Id.ToString(), before, null, now);
            return before;
        }, cancellationToken);

    private static void Apply(ModelEntity model, ModelChanges changes)
    {
        if (changes.Type is { HasValue: true, Value: { } type })
        {
            model.Type = type;
        }

        model.DisplayName = changes.DisplayName.Or(model.DisplayName);
        model.IsActive = changes.IsActive.Or(model.IsActive);
        model.Temperature = changes.Temperature.Or(model.Temperature);
        model.TopP = changes.TopP.Or(model.TopP);
        model.MaxTokens = changes.MaxTokens.Or(model.MaxTokens);
        model.InputPricePerMillion = changes.InputPricePerMillion.Or(model.InputPricePerMillion);
        model.OutputPricePerMillion = changes.OutputPricePerMillion.Or(model.OutputPricePerMillion);
        model.CachedInputPricePerMillion = changes.CachedInputPricePerMillion.Or(model.CachedInputPricePerMillion);
        model.ContextWindow = changes.ContextWindow.Or(model.ContextWindow);
        model.EmbeddingDimensions = changes.EmbeddingDimensions.Or(model.EmbeddingDimensions);
        model.RequestsPerMinute = changes.RequestsPerMinute.Or(model.RequestsPerMinute);
        model.TokensPerMinute = changes.TokensPerMinute.Or(model.TokensPerMinute);
        model.ShadowLimits = LimitNames.Or(changes.ShadowLimits, model.ShadowLimits);
    }

    /// <summary>
    /// Works out which purposes the model should be the default for after the change, refuses what breaks a rule
    /// (a default that would become inactive or of the wrong kind needs <c>force</c>), and writes the difference.
    /// </summary>
    private async Task<CatalogResult<ModelView>> ApplyDefaultsAsync(
        ModelgateDbContext db, ModelEntity model, List<string> held, ModelChanges changes, bool force, string actor, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(held, StringComparer.Ordinal);
        var asked = new HashSet<string>(StringComparer.Ordinal);
        void Flag(Optional<bool> flag, string purpose)
        {
            if (flag.HasValue)
            {
                if (flag.Value)
                {
                    wanted.Add(purpose);
                    asked.Add(purpose);
                }
                else
                {
                    wanted.Remove(purpose);
                }
            }
        }

        Flag(changes.IsDefaultForChat, Purpose.ChatName);
        Flag(changes.IsDefaultForAgents, Purpose.AgentsName);
        Flag(changes.IsDefaultForEmbeddings, Purpose.EmbeddingsName);
        if (changes.DefaultForAgentTypes is { HasValue: true } agentTypes)
        {
            wanted.RemoveWhere(p => p.StartsWith("agents/", StringComparison.Ordinal));
            foreach (var type in agentTypes.Value ?? [])
            {
                wanted.Add(Purpose.ForAgentType(type).Name);
                asked.Add(Purpose.ForAgentType(type).Name);
            }
        }

        // Defaults the model already held but can no longer serve (deactivated, kind changed, provider inactive).
        var provider = model.Provider ?? await db.Providers.SingleAsync(p => p.Id == model.ProviderId, cancellationToken);
        ModelKinds.TryParse(model.Type, out var kind);
        var lost = wanted.Where(p => !asked.Contains(p) && Purpose.TryParse(p, out var purpose, out _)
            && DefaultEligibility.Check(purpose, model.ModelId, kind, model.IsActive, provider.Name, provider.IsActive, p) is not null).ToList();
        if (lost.Count > 0 && !force)
        {
            return CatalogError.Forceable(
                $"model '{model.ModelId}' is the default for {string.Join(", ", lost.Select(p => $"'{p}'"))} and could no longer serve it after this change; set other defaults first, or pass ?force=true to clear them",
                changes.IsActive.HasValue ? "is_active" : "type");
        }

        wanted.ExceptWith(lost);
        foreach (var purpose in asked.Order(StringComparer.Ordinal))
        {
            var field = purpose.StartsWith("agents/", StringComparison.Ordinal) ? "default_for_agent_types" : $"is_default_for_{purpose}";
            if (await defaults.AssignAsync(db, Purpose.TryParse(purpose, out var p, out _) ? p : default, model, field, actor, cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        var now = time.UtcNow();
        foreach (var purpose in held.Where(p => !wanted.Contains(p)))
        {
            var row = await db.PurposeDefaults.SingleAsync(d => d.Purpose == purpose, cancellationToken);
            db.PurposeDefaults.Remove(row);
            AuditTrail.Record(db, actor, "default.clear", "default", purpose, new { purpose, model = model.Id }, null, now);
        }

        return ModelViews.ToView(model, wanted);
    }

    private static async Task<CatalogResult<ProviderEntity>> FindProviderAsync(ModelgateDbContext db, Optional<Guid?> providerId, CancellationToken cancellationToken)
    {
        if (providerId is { HasValue: true, Value: { } id })
        {
            var provider = await db.Providers.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            return provider is null ? CatalogError.Invalid("provider_id", $"no provider with id '{id}'") : provider;
        }

        var fallback = await db.Providers.SingleOrDefaultAsync(p => p.IsDefault, cancellationToken);
        return fallback is null
            ? CatalogError.Invalid("provider_id", "provider_id is required (no provider is marked is_default to fall back on)")
            : fallback;
    }
}
