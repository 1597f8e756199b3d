using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Rewrites the catalog tables to match a snapshot, keeping entity ids. Runs in two steps inside the caller's
/// transaction, so unique names and the single default provider never collide halfway.
/// </summary>
internal static class CatalogRestore
{
    public static async Task ApplyAsync(ModelgateDbContext db, CatalogSnapshot target, IReadOnlyDictionary<Guid, string?> keys, DateTime now, string actor, CancellationToken cancellationToken)
    {
        var providers = await db.Providers.ToListAsync(cancellationToken);
        var models = await db.Models.ToListAsync(cancellationToken);
        db.PurposeDefaults.RemoveRange(await db.PurposeDefaults.ToListAsync(cancellationToken));
        db.PurposeFallbacks.RemoveRange(await db.PurposeFallbacks.ToListAsync(cancellationToken));
        var aliases = await db.ModelAliases.ToListAsync(cancellationToken);
        db.ModelAliases.RemoveRange(aliases);
        var experiments = await db.Experiments.ToListAsync(cancellationToken);
        db.Experiments.RemoveRange(experiments.Where(e => !target.Experiments.ContainsKey(e.Id)));
        db.Models.RemoveRange(models.Where(m => !target.Models.ContainsKey(m.Id)));
        db.Providers.RemoveRange(providers.Where(p => !target.Providers.ContainsKey(p.Id)));

        // What each survivor holds now, so only the ones the target changes take a new revision (an unchanged one's ETag stays good).
        var providersBefore = providers.ToDictionary(p => p.Id, Values);
        var modelsBefore = models.ToDictionary(m => m.Id, Values);
        var prices = models.ToDictionary(m => m.Id, m => (m.InputPricePerMillion, m.OutputPricePerMillion, m.CachedInputPricePerMillion));

        // Step 1: park the survivors under names that cannot clash, without the default flag.
        foreach (var provider in providers.Where(p => target.Providers.ContainsKey(p.Id)))
        {
            provider.Name = $"~restore~{provider.Id:N}";
            provider.IsDefault = false;
        }

        foreach (var model in models.Where(m => target.Models.ContainsKey(m.Id)))
        {
            model.ModelId = $"~restore~{model.Id:N}";
        }

        // Kept experiments' definitions, to tell below which ones the rollback changes.
        var definitions = experiments.Where(e => target.Experiments.ContainsKey(e.Id)).ToDictionary(e => e.Id, ExperimentRows.Definition);
        foreach (var experiment in experiments.Where(e => target.Experiments.ContainsKey(e.Id)))
        {
            experiment.Name = $"~restore~{experiment.Id:N}";
        }

        await db.SaveChangesAsync(cancellationToken);

        // Step 2: the target's values.
        var byId = providers.ToDictionary(p => p.Id);
        foreach (var p in target.Providers.Values)
        {
            if (!byId.TryGetValue(p.Id, out var entity))
            {
                entity = new ProviderEntity { Id = p.Id, Name = p.Name, Type = p.Kind.ToName(), CreatedAt = now, Revision = 0 };
                db.Providers.Add(entity);
            }

            entity.Name = p.Name;
            entity.Type = p.Kind.ToName();
            entity.BaseUrl = p.BaseUrl;
            entity.ApiKeyCiphertext = keys[p.Id];
            entity.ApiKeyMask = p.ApiKeyMask;
            entity.IsActive = p.IsActive;
            entity.IsDefault = p.IsDefault;
            entity.RequestsPerMinute = p.Limits.RequestsPerMinute;
            entity.TokensPerMinute = p.Limits.TokensPerMinute;
            entity.ShadowLimits = p.Limits.Shadow;
            if (!providersBefore.TryGetValue(p.Id, out var before) || !before.Equals(Values(entity)))
            {
                entity.Revision++;
                entity.UpdatedAt = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var modelsById = models.ToDictionary(m => m.Id);
        foreach (var m in target.Models.Values)
        {
            if (!modelsById.TryGetValue(m.Id, out var entity))
            {
                entity = new ModelEntity { Id = m.Id, ModelId = m.ModelId, Type = m.Kind.ToName(), CreatedAt = now, Revision = 0 };
                db.Models.Add(entity);
            }

            entity.ProviderId = m.ProviderId;
            entity.ModelId = m.ModelId;
            entity.DisplayName = m.DisplayName;
            entity.Type = m.Kind.ToName();
            entity.IsActive = m.IsActive;
            entity.Temperature = m.Parameters.Temperature;
            entity.TopP = m.Parameters.TopP;
            entity.MaxTokens = m.Parameters.MaxTokens;
            entity.InputPricePerMillion = m.Pricing.InputPerMillion;
            entity.OutputPricePerMillion = m.Pricing.OutputPerMillion;
            entity.CachedInputPricePerMillion = m.Pricing.CachedInputPerMillion;
            entity.ContextWindow = m.ContextWindow;
            entity.EmbeddingDimensions = m.EmbeddingDimensions;
            entity.RequestsPerMinute = m.Limits.RequestsPerMinute;
            entity.TokensPerMinute = m.Limits.TokensPerMinute;
            entity.ShadowLimits = m.Limits.Shadow;
            if (!modelsBefore.TryGetValue(m.Id, out var before) || !before.Equals(Values(entity)))
            {
                entity.Revision++;
                entity.UpdatedAt = now;
            }

            // A new model, or new prices: a price period from now on, as the API opens one.
            if (!modelsById.ContainsKey(m.Id) || !prices.TryGetValue(m.Id, out var was)
                || was != (entity.InputPricePerMillion, entity.OutputPricePerMillion, entity.CachedInputPricePerMillion))
            {
                ModelPrices.Record(db, entity, actor, now);
            }
        }

        foreach (var (purpose, modelId) in target.Defaults)
        {
            db.PurposeDefaults.Add(new PurposeDefaultEntity { Purpose = purpose, ModelId = modelId, UpdatedAt = now });
        }

        foreach (var (purpose, chain) in target.Fallbacks)
        {
            db.PurposeFallbacks.AddRange(chain.Select((id, i) => new PurposeFallbackEntity { Purpose = purpose, Position = i + 1, ModelId = id }));
        }

        // Experiments keep their ids (usage and feedback refer to them); a rollback can set a stopped one running again.
        var experimentsById = experiments.ToDictionary(e => e.Id);
        foreach (var e in target.Experiments.Values)
        {
            if (!experimentsById.TryGetValue(e.Id, out var entity))
            {
                entity = new ExperimentEntity
                {
                    Id = e.Id, Name = e.Name, Target = e.Target, Stickiness = "", State = "", Variants = "[]", Guardrails = "[]", CreatedAt = now, UpdatedAt = now, Revision = 0,
                };
                db.Experiments.Add(entity);
            }

            ExperimentRows.Apply(entity, e);
            if (definitions.GetValueOrDefault(e.Id) != ExperimentRows.Definition(entity))
            {
                entity.Revision++;
                entity.UpdatedAt = now;
            }
        }

        // Removed before step 1's save (so a model they pointed at can go) and added again: an unchanged alias keeps its
        // history; a changed or recreated one takes the version this rollback publishes as its revision (never one seen before).
        var aliasesByName = aliases.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var revision = await AliasStore.RevisionAsync(db, cancellationToken);
        foreach (var alias in target.Aliases.Values)
        {
            var kept = aliasesByName.GetValueOrDefault(alias.Name);
            var same = kept is not null && kept.ModelId == alias.ModelId && kept.Description == alias.Description && kept.Deprecated == alias.Deprecated;
            db.ModelAliases.Add(new ModelAliasEntity
            {
                Name = alias.Name, ModelId = alias.ModelId, Description = alias.Description, Deprecated = alias.Deprecated,
                CreatedAt = kept?.CreatedAt ?? now, UpdatedAt = same ? kept!.UpdatedAt : now, Revision = same ? kept!.Revision : revision,
            });
        }

        await ConfigOwnerRows.WriteAsync(db, target.Managed, now, cancellationToken);
    }

    private static object Values(ProviderEntity p) =>
        (p.Name, p.Type, p.BaseUrl, p.ApiKeyCiphertext, p.ApiKeyMask, p.IsActive, p.IsDefault, p.RequestsPerMinute, p.TokensPerMinute, p.ShadowLimits);

    private static object Values(ModelEntity m) =>
        (m.ProviderId, m.ModelId, m.DisplayName, m.Type, m.IsActive, m.Temperature, m.TopP, m.MaxTokens, m.InputPricePerMillion, m.OutputPricePerMillion,
            m.CachedInputPricePerMillion, m.ContextWindow, m.EmbeddingDimensions, m.RequestsPerMinute, m.TokensPerMinute, m.ShadowLimits);
}
