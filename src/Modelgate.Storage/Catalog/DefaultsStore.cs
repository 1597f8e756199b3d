using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>Reads and sets the default model of each purpose (one row per purpose, so never two defaults).</summary>
public sealed class DefaultsStore(CatalogTransaction transactions, TimeProvider time)
{
    public Task<DefaultsView> GetAsync(CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var rows = await db.PurposeDefaults.AsNoTracking().Include(d => d.Model).ThenInclude(m => m!.Provider).ToListAsync(cancellationToken);
            var byModel = rows.ToLookup(d => d.ModelId, d => d.Purpose);
            ModelView? For(string purpose) => rows.FirstOrDefault(r => r.Purpose == purpose) is { } row ? ModelViews.ToView(row.Model!, [.. byModel[row.ModelId]]) : null;
            var agentTypes = rows
                .Select(r => (Row: r, Type: Purpose.TryParse(r.Purpose, out var p, out _) ? p.AgentType : null))
                .Where(x => x.Type is not null)
                .OrderBy(x => x.Type, StringComparer.Ordinal)
                .ToDictionary(x => x.Type!, x => ModelViews.ToView(x.Row.Model!, [.. byModel[x.Row.ModelId]]), StringComparer.Ordinal);
            return new DefaultsView(For(Purpose.ChatName), For(Purpose.AgentsName), For(Purpose.EmbeddingsName), agentTypes);
        });

    public Task<CatalogResult<ModelView>> SetAsync(string purposeName, string? modelReference, string actor, CancellationToken cancellationToken)
    {
        if (!Purpose.TryParse(purposeName, out var purpose, out var purposeError))
        {
            return Task.FromResult<CatalogResult<ModelView>>(CatalogError.Invalid("purpose", purposeError));
        }

        if (string.IsNullOrWhiteSpace(modelReference))
        {
            return Task.FromResult<CatalogResult<ModelView>>(CatalogError.Invalid("model_id", "model_id is required: the model's id or its upstream model_id"));
        }

        return transactions.RunAsync<ModelView>(async db =>
        {
            var found = await ModelViews.FindAsync(db, modelReference, cancellationToken);
            if (found.Value is not { } model)
            {
                return found.Error!;
            }

            if (await AssignAsync(db, purpose, model, "model_id", actor, cancellationToken) is { } refused)
            {
                return refused;
            }

            var purposes = (await ModelViews.DefaultsByModelAsync(db, cancellationToken))[model.Id].Append(purpose.Name).Distinct().ToList();
            return ModelViews.ToView(model, purposes);
        }, cancellationToken);
    }

    public Task<CatalogResult<bool>> ClearAsync(string purposeName, string actor, CancellationToken cancellationToken)
    {
        if (!Purpose.TryParse(purposeName, out var purpose, out var purposeError))
        {
            return Task.FromResult<CatalogResult<bool>>(CatalogError.Invalid("purpose", purposeError));
        }

        return transactions.RunAsync<bool>(async db =>
        {
            var row = await db.PurposeDefaults.SingleOrDefaultAsync(d => d.Purpose == purpose.Name, cancellationToken);
            if (row is null)
            {
                return false;
            }

            await ModelViews.ClearDefaultsAsync(db, [row], actor, time.UtcNow(), cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="model"/> the purpose's default inside the caller's unit of work, after checking it may be.
    /// The previous holder loses it in the same write. Returns the refusal, or null.
    /// </summary>
    internal async Task<CatalogError?> AssignAsync(ModelgateDbContext db, Purpose purpose, ModelEntity model, string field, string actor, CancellationToken cancellationToken)
    {
        ModelKinds.TryParse(model.Type, out var kind);
        var provider = model.Provider ?? await db.Providers.SingleAsync(p => p.Id == model.ProviderId, cancellationToken);
        if (DefaultEligibility.Check(purpose, model.ModelId, kind, model.IsActive, provider.Name, provider.IsActive, field) is { } refused)
        {
            return refused;
        }

        var now = time.UtcNow();
        var row = await db.PurposeDefaults.SingleOrDefaultAsync(d => d.Purpose == purpose.Name, cancellationToken);
        if (row?.ModelId == model.Id)
        {
            return null;
        }

        var before = row is null ? null : new { purpose = purpose.Name, model = row.ModelId };
        if (row is null)
        {
            db.PurposeDefaults.Add(new PurposeDefaultEntity { Purpose = purpose.Name, ModelId = model.Id, UpdatedAt = now });
        }
        else
        {
            if (await db.Models.FindAsync([row.ModelId], cancellationToken) is { } previousHolder)
            {
                ModelViews.Touch(db, previousHolder, now);
            }

            row.ModelId = model.Id;
            row.UpdatedAt = now;
        }

        ModelViews.Touch(db, model, now);

        AuditTrail.Record(db, actor, "default.set", "default", purpose.Name, before, new { purpose = purpose.Name, model = model.Id, model_id = model.ModelId }, now);
        return null;
    }
}
