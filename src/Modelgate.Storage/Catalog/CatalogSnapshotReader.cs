using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;

namespace Modelgate.Storage.Catalog;

/// <summary>Builds a <see cref="CatalogSnapshot"/> from the catalog tables as the given context sees them.</summary>
internal static class CatalogSnapshotReader
{
    public static async Task<CatalogSnapshot> ReadAsync(ModelgateDbContext db, long version, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        var providers = await db.Providers.AsNoTracking().ToListAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().ToListAsync(cancellationToken);
        var defaults = await db.PurposeDefaults.AsNoTracking().ToListAsync(cancellationToken);
        var keys = await db.VirtualKeys.AsNoTracking().ToListAsync(cancellationToken);
        var fallbacks = await db.PurposeFallbacks.AsNoTracking().ToListAsync(cancellationToken);
        var aliases = await db.ModelAliases.AsNoTracking().ToListAsync(cancellationToken);
        var experiments = await db.Experiments.AsNoTracking().ToListAsync(cancellationToken);
        var owner = await db.ConfigOwner.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return new CatalogSnapshot(
            version,
            publishedAt,
            providers.Select(p => new ProviderConfig(
                p.Id, p.Name, ProviderKinds.TryParse(p.Type, out var kind) ? kind : ProviderKind.OpenAICompatible, p.BaseUrl, p.ApiKeyCiphertext, p.ApiKeyMask,
                p.IsActive, p.IsDefault, new RateLimits(p.RequestsPerMinute, p.TokensPerMinute) { Shadow = p.ShadowLimits })),
            models.Select(m => new ModelDefinition(
                m.Id, m.ProviderId, m.ModelId, m.DisplayName, m.Type == "embedding" ? ModelKind.Embedding : ModelKind.Chat, m.IsActive,
                new ModelParameters(m.Temperature, m.TopP, m.MaxTokens),
                new Pricing(m.InputPricePerMillion, m.OutputPricePerMillion, m.CachedInputPricePerMillion),
                m.ContextWindow, m.EmbeddingDimensions)
            {
                Limits = new RateLimits(m.RequestsPerMinute, m.TokensPerMinute) { Shadow = m.ShadowLimits },
            }),
            defaults.ToDictionary(d => d.Purpose, d => d.ModelId, StringComparer.Ordinal),
            keys.Select(VirtualKeyStore.ToRecord),
            fallbacks.GroupBy(f => f.Purpose).ToDictionary(g => g.Key, g => g.OrderBy(f => f.Position).Select(f => f.ModelId).ToArray(), StringComparer.Ordinal),
            aliases.Select(a => new ModelAlias(a.Name, a.ModelId, a.Description, a.Deprecated)),
            experiments.Select(ExperimentRows.ToRecord))
        {
            Managed = ConfigOwnerRows.ToRecord(owner),
        };
    }
}
