using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>Builds <see cref="ModelView"/>s and finds models by id or upstream name.</summary>
internal static class ModelViews
{
    public static ModelView ToView(ModelEntity m, IReadOnlyCollection<string> purposes) => new(
        m.Id, m.ProviderId, m.Provider?.Name ?? "", m.ModelId, m.DisplayName, m.Type, m.IsActive,
        m.Temperature, m.TopP, m.MaxTokens, m.InputPricePerMillion, m.OutputPricePerMillion, m.CachedInputPricePerMillion,
        m.ContextWindow, m.EmbeddingDimensions, m.RequestsPerMinute, m.TokensPerMinute, LimitNames.List(m.ShadowLimits),
        purposes.Contains(Purpose.ChatName), purposes.Contains(Purpose.AgentsName), purposes.Contains(Purpose.EmbeddingsName),
        [.. purposes.Select(p => Purpose.TryParse(p, out var purpose, out _) ? purpose.AgentType : null).OfType<string>().Order(StringComparer.Ordinal)],
        m.CreatedAt, m.UpdatedAt, m.Revision);

    /// <summary>
    /// Marks a model changed (new revision and timestamp) once per unit of work, e.g. when it gains or loses a
    /// default, so an ETag read before the change no longer matches.
    /// </summary>
    public static void Touch(ModelgateDbContext db, ModelEntity model, DateTime now)
    {
        var entry = db.Entry(model);
        if (entry.State == EntityState.Added || entry.Property(m => m.Revision).OriginalValue != model.Revision)
        {
            return;
        }

        model.Revision++;
        model.UpdatedAt = now;
    }

    /// <summary>Removes purpose defaults as part of a forced change, auditing each and touching the models that held them.</summary>
    public static async Task ClearDefaultsAsync(ModelgateDbContext db, IReadOnlyCollection<PurposeDefaultEntity> defaults, string actor, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var row in defaults)
        {
            if (await db.Models.FindAsync([row.ModelId], cancellationToken) is { } holder)
            {
                Touch(db, holder, now);
            }

            Audit.AuditTrail.Record(db, actor, "default.clear", "default", row.Purpose, new { purpose = row.Purpose, model = row.ModelId }, null, now);
        }

        db.PurposeDefaults.RemoveRange(defaults);
    }

    /// <summary>The purposes each model is the default for (the table is small: one row per purpose).</summary>
    public static async Task<ILookup<Guid, string>> DefaultsByModelAsync(ModelgateDbContext db, CancellationToken cancellationToken) =>
        (await db.PurposeDefaults.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(d => d.ModelId, d => d.Purpose);

    /// <summary>
    /// Finds a model by its Modelgate id or, when exactly one model has it, by its upstream <c>model_id</c>.
    /// </summary>
    public static async Task<CatalogResult<ModelEntity>> FindAsync(ModelgateDbContext db, string reference, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(reference, out var id))
        {
            var byId = await db.Models.Include(m => m.Provider).SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
            return byId is null ? CatalogError.NotFound($"no model with id '{id}'") : byId;
        }

        if (reference.Length > 200 || reference.Any(char.IsControl))
        {
            return CatalogError.NotFound($"no model with id or model_id '{Shorten(reference)}'");
        }

        var matches = await db.Models.Include(m => m.Provider).Where(m => m.ModelId == reference).Take(10).ToListAsync(cancellationToken);
        return matches.Count switch
        {
            0 => CatalogError.NotFound($"no model with id or model_id '{Shorten(reference)}'"),
            1 => matches[0],
            _ => CatalogError.Conflict(
                $"model_id '{Shorten(reference)}' is offered by several providers ({string.Join(", ", matches.Select(m => $"{m.Provider!.Name}: {m.Id}"))}); use the model's id instead"),
        };
    }

    private static string Shorten(string text) =>
        new([.. text.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
}
