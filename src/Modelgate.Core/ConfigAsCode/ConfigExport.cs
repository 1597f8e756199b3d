using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.ConfigAsCode;

/// <summary>
/// A catalog as a configuration file: what <c>modelgate export</c> writes. Keys are references to environment variables
/// named after their provider (<c>env:OPENAI_API_KEY</c> for provider <c>openai</c>), never values or masks; a provider
/// without a key has none. Virtual keys are left out (secrets), as are experiments for now.
/// </summary>
public static class ConfigExport
{
    public static ConfigDocument From(CatalogSnapshot snapshot)
    {
        var providers = snapshot.Providers.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        string Ref(Guid modelId) => snapshot.Models.TryGetValue(modelId, out var model) && snapshot.Providers.TryGetValue(model.ProviderId, out var provider)
            ? $"{provider.Name}/{model.ModelId}"
            : modelId.ToString();

        return new ConfigDocument
        {
            Providers = [.. providers.Select(p => new ConfigProvider
            {
                Name = p.Name,
                Type = p.Kind.ToName(),
                BaseUrl = p.BaseUrl,
                ApiKey = p.ApiKeyCiphertext is null ? null : $"env:{KeyVariable(p.Name)}",
                Active = p.IsActive,
                Limits = Limits(p.Limits),
            })],
            Models = [.. snapshot.Models.Values.Select(m => (Ref: Ref(m.Id), Model: m)).OrderBy(m => m.Ref, StringComparer.Ordinal).Select(m => new ConfigModel
            {
                Model = m.Ref,
                DisplayName = m.Model.DisplayName,
                Type = m.Model.Kind == ModelKind.Chat ? null : m.Model.Kind.ToName(),
                Active = m.Model.IsActive,
                Parameters = m.Model.Parameters == ModelParameters.None ? null
                    : new ConfigParameters(m.Model.Parameters.Temperature, m.Model.Parameters.TopP, m.Model.Parameters.MaxTokens),
                Prices = m.Model.Pricing == Pricing.Unknown ? null
                    : new ConfigPrices(m.Model.Pricing.InputPerMillion, m.Model.Pricing.OutputPerMillion, m.Model.Pricing.CachedInputPerMillion),
                ContextWindow = m.Model.ContextWindow,
                EmbeddingDimensions = m.Model.EmbeddingDimensions,
                Limits = Limits(m.Model.Limits),
            })],
            Defaults = snapshot.Defaults.OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => Ref(d.Value), StringComparer.Ordinal),
            Fallbacks = snapshot.Fallbacks.OrderBy(f => f.Key, StringComparer.Ordinal)
                .ToDictionary(f => f.Key, f => (IReadOnlyList<string>)[.. f.Value.Select(Ref)], StringComparer.Ordinal),
            Aliases = snapshot.Aliases.Values.OrderBy(a => a.Name, StringComparer.Ordinal)
                .ToDictionary(a => a.Name, a => new ConfigAlias(Ref(a.ModelId), a.Description, a.Deprecated), StringComparer.Ordinal),
        };
    }

    /// <summary>The environment variable a provider's key is referred to by: its name upper-cased, other characters as <c>_</c>, then <c>_API_KEY</c>.</summary>
    public static string KeyVariable(string providerName) =>
        new string([.. providerName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]) + "_API_KEY";

    private static ConfigLimits? Limits(RateLimits limits) =>
        limits.RequestsPerMinute is null && limits.TokensPerMinute is null && limits.Shadow == LimitKinds.None ? null
        : new ConfigLimits(limits.RequestsPerMinute, limits.TokensPerMinute, limits.Shadow == LimitKinds.None ? null : LimitNames.List(limits.Shadow));
}
