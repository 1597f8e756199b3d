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
        m.ContextWindow, m.EmbeddingDimensions,
        purposes.Contains(Purpose.ChatName), purposes.Contains(Purpose.AgentsName), purposes.Contains(Purpose.EmbeddingsName),
        [.. purposes.Select(p => Purpose.TryParse(p, out var purpose, out _) ? purpose.AgentType : null).OfType<string>().Order(StringComparer.Ordinal)],
        m.CreatedAt, m.UpdatedAt, m.Revision);

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
