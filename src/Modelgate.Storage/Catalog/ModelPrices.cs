using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>A model's price period as the admin API shows it: prices in USD per million tokens from <c>effective_from</c> on.</summary>
public sealed record ModelPriceView(DateTime EffectiveFrom, DateTime? EffectiveUntil, decimal? InputPricePerMillion, decimal? OutputPricePerMillion, decimal? CachedInputPricePerMillion, string SetBy);

/// <summary>
/// The price history of models: each price change opens a new period. Calls are priced when they are recorded, at
/// the price then in force, so a change never alters what past calls cost.
/// </summary>
public static class ModelPrices
{
    public const string BuiltIn = "built-in";

    internal static void Record(ModelgateDbContext db, ModelEntity model, string setBy, DateTime from) =>
        db.ModelPrices.Add(new ModelPriceEntity
        {
            ModelId = model.Id,
            EffectiveFrom = from,
            InputPerMillion = model.InputPricePerMillion,
            OutputPerMillion = model.OutputPricePerMillion,
            CachedInputPerMillion = model.CachedInputPricePerMillion,
            SetBy = setBy.Length > 100 ? setBy[..100] : setBy,
        });

    /// <summary>The model's periods, newest first.</summary>
    public static async Task<ModelPriceView[]> HistoryAsync(ModelgateDbContext db, Guid modelId, CancellationToken cancellationToken)
    {
        var rows = await db.ModelPrices.AsNoTracking().Where(p => p.ModelId == modelId).OrderByDescending(p => p.EffectiveFrom).ThenByDescending(p => p.Id).ToListAsync(cancellationToken);
        return [.. rows.Select((p, i) => new ModelPriceView(p.EffectiveFrom, i == 0 ? null : rows[i - 1].EffectiveFrom, p.InputPerMillion, p.OutputPerMillion, p.CachedInputPerMillion, p.SetBy))];
    }
}
