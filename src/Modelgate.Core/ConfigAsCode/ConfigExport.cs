using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.ConfigAsCode;

/// <summary>
/// A catalog as a configuration file: what <c>modelgate export</c> writes. Keys are references to environment variables
/// named after their provider (<c>env:OPENAI_API_KEY</c> for provider <c>openai</c>), never values or masks; a provider
/// without a key has none. Virtual keys are left out (secrets).
/// <para>
/// Experiments are written by name with their definition (variant models as <c>provider/model_id</c>), never their run
/// state: the file says what should run, and an experiment applied from it runs (within its <c>starts_at</c> and
/// <c>ends_at</c>). So only the experiments that may still route calls are written — running or scheduled, not stopped
/// (by a person, a guardrail or a promotion) and not ended (<see cref="InFile"/>). A stopped or ended one is history:
/// written out, it would be started again when the file is applied to another database; <see cref="ConfigTarget"/>
/// leaves such experiments exactly as they are. Export, then apply on an empty catalog, then export gives the same file.
/// </para>
/// </summary>
public static class ConfigExport
{
    /// <param name="snapshot">The catalog.</param>
    /// <param name="now">The instant that decides which experiments have ended (null: now).</param>
    public static ConfigDocument From(CatalogSnapshot snapshot, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var providers = snapshot.Providers.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        // One variable per provider: names that read alike (open-ai, open_ai) get _2, _3, ... rather than one key for both.
        var variables = new Dictionary<Guid, string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in providers.Where(p => p.ApiKeyCiphertext is not null))
        {
            var variable = KeyVariable(provider.Name);
            for (var n = 2; !used.Add(variable); n++)
            {
                variable = $"{KeyVariable(provider.Name)[..^"_API_KEY".Length]}_{n}_API_KEY";
            }

            variables[provider.Id] = variable;
        }

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
                ApiKey = p.ApiKeyCiphertext is null ? null : $"env:{variables[p.Id]}",
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
            Experiments = [.. snapshot.Experiments.Values.Where(e => InFile(e, at)).OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => new ConfigExperiment
            {
                Name = e.Name,
                Description = e.Description,
                Target = e.Target,
                Stickiness = e.Stickiness == ExperimentStickiness.Session ? null : e.Stickiness.ToName(),
                Variants = [.. e.Variants.Select(v => new ConfigExperimentVariant(v.Name, v.ModelId is { } id ? Ref(id) : null, v.Weight, v.Shadow,
                    v.Parameters is { } p && p != ModelParameters.None ? new ConfigParameters(p.Temperature, p.TopP, p.MaxTokens) : null))],
                Guardrails = [.. e.Guardrails.Select(g => new ConfigGuardrail(g.Metric, g.MaxIncrease, g.MaxRatio))],
                StartsAt = e.StartsAt,
                EndsAt = e.EndsAt,
                Alpha = e.Alpha == ExperimentValidator.DefaultAlpha ? null : e.Alpha,
            })],
        };
    }

    /// <summary>
    /// Whether the configuration file describes <paramref name="experiment"/> at <paramref name="now"/>: it is running or
    /// scheduled — not stopped and not ended (the experiments that count for "one running experiment per target").
    /// </summary>
    public static bool InFile(Experiment experiment, DateTimeOffset now) =>
        experiment.State == ExperimentState.Running && (experiment.EndsAt is not { } end || now < end);

    /// <summary>The environment variable a provider's key is referred to by: its name upper-cased, other characters as <c>_</c>, then <c>_API_KEY</c>.</summary>
    public static string KeyVariable(string providerName) => ConfigKeyReferences.VariableFor(providerName);

    private static ConfigLimits? Limits(RateLimits limits) =>
        limits.RequestsPerMinute is null && limits.TokensPerMinute is null && limits.Shadow == LimitKinds.None ? null
        : new ConfigLimits(limits.RequestsPerMinute, limits.TokensPerMinute, limits.Shadow == LimitKinds.None ? null : LimitNames.List(limits.Shadow));
}
