using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>A model in a fallback chain, as the API shows it.</summary>
public sealed record FallbackModelView(Guid Id, string ModelId, string ProviderName);

/// <summary>
/// The ordered fallback chain of each purpose: models the gateway tries, in order, when the default fails before
/// answering. Each must be active, of the purpose's kind, on an active provider.
/// </summary>
public sealed class FallbackStore(CatalogTransaction transactions, TimeProvider time)
{
    public const int MaxFallbacks = FallbackRules.MaxPerPurpose;

    public Task<IReadOnlyDictionary<string, FallbackModelView[]>> GetAsync(CancellationToken cancellationToken) =>
        transactions.ReadAsync<IReadOnlyDictionary<string, FallbackModelView[]>>(async db =>
        {
            var rows = await db.PurposeFallbacks.AsNoTracking().Include(f => f.Model).ThenInclude(m => m!.Provider).OrderBy(f => f.Purpose).ThenBy(f => f.Position).ToListAsync(cancellationToken);
            return rows.GroupBy(r => r.Purpose).ToDictionary(g => g.Key, g => g.Select(r => new FallbackModelView(r.ModelId, r.Model!.ModelId, r.Model.Provider!.Name)).ToArray(), StringComparer.Ordinal);
        });

    public Task<CatalogResult<FallbackModelView[]>> SetAsync(string purposeName, string[]? modelReferences, string actor, CancellationToken cancellationToken)
    {
        if (!Purpose.TryParse(purposeName, out var purpose, out var purposeError))
        {
            return Task.FromResult<CatalogResult<FallbackModelView[]>>(CatalogError.Invalid("purpose", purposeError));
        }

        var references = modelReferences ?? [];
        if (references.Length > MaxFallbacks)
        {
            return Task.FromResult<CatalogResult<FallbackModelView[]>>(CatalogError.Invalid("model_ids", $"at most {MaxFallbacks} fallbacks per purpose"));
        }

        return transactions.RunAsync<FallbackModelView[]>(async db =>
        {
            var models = new List<ModelEntity>();
            foreach (var reference in references)
            {
                var found = await ModelViews.FindAsync(db, reference, cancellationToken);
                if (found.Value is not { } model)
                {
                    return found.Error!;
                }

                ModelKinds.TryParse(model.Type, out var kind);
                if (DefaultEligibility.Check(purpose, model.ModelId, kind, model.IsActive, model.Provider!.Name, model.Provider.IsActive, "model_ids") is { } refused)
                {
                    return refused;
                }

                if (models.Any(m => m.Id == model.Id))
                {
                    return CatalogError.Invalid("model_ids", $"model '{model.ModelId}' is listed twice");
                }

                models.Add(model);
            }

            var existing = await db.PurposeFallbacks.Where(f => f.Purpose == purpose.Name).OrderBy(f => f.Position).ToListAsync(cancellationToken);
            db.PurposeFallbacks.RemoveRange(existing);
            db.PurposeFallbacks.AddRange(models.Select((m, i) => new PurposeFallbackEntity { Purpose = purpose.Name, Position = i + 1, ModelId = m.Id }));
            AuditTrail.Record(db, actor, "fallbacks.set", "fallbacks", purpose.Name,
                new { purpose = purpose.Name, models = existing.Select(e => e.ModelId) }, new { purpose = purpose.Name, models = models.Select(m => m.ModelId) }, time.UtcNow());
            return models.Select(m => new FallbackModelView(m.Id, m.ModelId, m.Provider!.Name)).ToArray();
        }, cancellationToken);
    }
}
