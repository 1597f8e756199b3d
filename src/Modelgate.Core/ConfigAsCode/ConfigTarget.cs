using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Core.Secrets;

namespace Modelgate.Core.ConfigAsCode;

/// <summary>
/// The catalog a configuration file asks for, worked out from the catalog in effect: the file's providers, models,
/// defaults, fallbacks, aliases and experiments laid over it (kept objects keep their ids, so usage, feedback, keys and
/// history still refer to them), and with <c>prune</c> the objects of those kinds the file does not name removed; without
/// it nothing is removed. Virtual keys are kept as they are. Every value goes through the validators the admin API uses
/// (for experiments, also the rules the experiment store checks against the catalog, here on the result), so a file can
/// hold nothing the API would refuse; each error names its path in the document. The plan of an apply is
/// <see cref="CatalogDiff.Between"/> the catalog in effect and this one; applying it writes this one as one version.
/// <para>
/// Experiments: the file holds definitions, never run state. An experiment the file names and the catalog does not have
/// is created running (live from its <c>starts_at</c>); one that is running or scheduled takes the file's definition, with
/// the API's rules (its target does not change while it runs; one running or scheduled experiment per target; variant
/// models that exist, are active on an active provider and serve the target's kind; <c>ends_at</c> in the future). An
/// experiment that is stopped (by a person, a guardrail or a promotion) or has ended is history: it is left exactly as
/// it is, whatever the file says under its name, and that is no difference; it is never restarted by an apply, and
/// prune does not delete it (its results would go with it). To run it again, delete it through the API or give the
/// file's experiment another name. With prune, a scheduled experiment the file does not name is deleted, and a running
/// one is an error (the API does not delete a running experiment: stop it first). <see cref="LeftAsTheyAre"/> names the
/// file's experiments an apply leaves alone for that reason.
/// </para>
/// </summary>
public static class ConfigTarget
{
    /// <param name="current">The catalog in effect.</param>
    /// <param name="document">The file.</param>
    /// <param name="keys">Each provider's key as the file's reference resolved to (by provider name); a provider whose file
    /// entry names no key has none.</param>
    /// <param name="protector">Encrypts a new key (an unchanged one keeps its ciphertext).</param>
    /// <param name="baseUrls">The addresses a provider may have, as for the admin API.</param>
    /// <param name="prune">Whether providers, models, defaults, fallbacks, aliases and experiments (not stopped or ended) the
    /// file does not name are removed.</param>
    /// <param name="now">The instant that decides which experiments are running, scheduled or ended (null: now).</param>
    public static (CatalogSnapshot? Target, IReadOnlyList<ConfigPathError> Errors) Build(
        CatalogSnapshot current, ConfigDocument document, IReadOnlyDictionary<string, string> keys, SecretProtector protector, BaseUrlPolicy baseUrls, bool prune,
        DateTimeOffset? now = null)
    {
        var errors = new List<ConfigPathError>();
        if (document.Version != 1)
        {
            errors.Add(new("version", $"this Modelgate reads version 1 of the file; got {document.Version}"));
        }

        if (prune && document.Providers.Count == 0 && current.Providers.Count > 0)
        {
            // An empty or cut-off file must not wipe a catalog.
            errors.Add(new("providers", "the file names no provider, and prune would delete every one; refusing (name the providers to keep, or apply without prune)"));
        }

        var providers = Providers(current, document, keys, protector, baseUrls, prune, errors);
        var models = Models(current, document, providers, prune, errors);
        var byRef = models.Values.ToDictionary(m => $"{providers[m.ProviderId].Name}/{m.ModelId}", m => m.Id, StringComparer.Ordinal);
        Guid? Find(string path, string? reference)
        {
            if (reference is not null && byRef.TryGetValue(reference, out var id))
            {
                return id;
            }

            errors.Add(new(path, reference is null ? "a model is required (provider/model_id)"
                : InCatalog(current, reference) ? $"model '{reference}' is in the catalog but not in the file, and prune removes it; name it in the file, or refer to another model"
                : $"no model '{reference}' in the file or the catalog (models are named provider/model_id)"));
            return null;
        }

        var defaults = prune ? new Dictionary<string, Guid>(StringComparer.Ordinal) : current.Defaults.Where(d => models.ContainsKey(d.Value)).ToDictionary(StringComparer.Ordinal);
        // A model the file (or the catalog) holds, checked as the API checks a default: the right kind, active, on an active provider.
        CatalogError? Eligible(Purpose purpose, Guid id, string path)
        {
            var model = models[id];
            var provider = providers[model.ProviderId];
            return DefaultEligibility.Check(purpose, $"{provider.Name}/{model.ModelId}", model.Kind, model.IsActive, provider.Name, provider.IsActive, path);
        }

        foreach (var (purpose, reference) in document.Defaults)
        {
            if (!Purpose.TryParse(purpose, out var parsed, out var why))
            {
                errors.Add(new($"defaults.{purpose}", why));
            }
            else if (Find($"defaults.{purpose}", reference) is { } id)
            {
                // Checked as the API checks a PUT: only a default the file changes.
                if (current.Defaults.GetValueOrDefault(purpose) != id && Eligible(parsed, id, $"defaults.{purpose}") is { } refused)
                {
                    errors.Add(new($"defaults.{purpose}", Message(refused, $"defaults.{purpose}")));
                }

                defaults[purpose] = id;
            }
        }

        var fallbacks = prune ? new Dictionary<string, Guid[]>(StringComparer.Ordinal)
            : current.Fallbacks.Where(f => f.Value.All(models.ContainsKey)).ToDictionary(StringComparer.Ordinal);
        foreach (var (purpose, chain) in document.Fallbacks)
        {
            if (!Purpose.TryParse(purpose, out var parsed, out var why))
            {
                errors.Add(new($"fallbacks.{purpose}", why));
                continue;
            }

            if (chain.Count > FallbackRules.MaxPerPurpose)
            {
                errors.Add(new($"fallbacks.{purpose}", $"at most {FallbackRules.MaxPerPurpose} fallbacks per purpose"));
            }

            var ids = chain.Select((reference, i) => Find($"fallbacks.{purpose}[{i}]", reference)).ToList();
            // As the API checks a PUT: only a chain the file changes (a model in a chain may be deactivated later; routing skips it).
            var changed = !current.Fallbacks.TryGetValue(purpose, out var was) || !was.SequenceEqual(ids.Select(id => id ?? Guid.Empty));
            for (var i = 0; i < ids.Count; i++)
            {
                if (changed && ids[i] is { } id && Eligible(parsed, id, $"fallbacks.{purpose}[{i}]") is { } refused)
                {
                    errors.Add(new($"fallbacks.{purpose}[{i}]", Message(refused, $"fallbacks.{purpose}[{i}]")));
                }
                else if (ids[i] is { } twice && ids.IndexOf(twice) < i)
                {
                    errors.Add(new($"fallbacks.{purpose}[{i}]", $"model '{chain[i]}' is listed twice"));
                }
            }

            if (ids.Count == 0)
            {
                // An empty chain is no chain (the catalog has no row for it, so keeping one would differ on every apply).
                fallbacks.Remove(purpose);
            }
            else if (ids.All(id => id is not null))
            {
                fallbacks[purpose] = [.. ids.Select(id => id!.Value)];
            }
        }

        var aliases = prune ? new Dictionary<string, ModelAlias>(StringComparer.Ordinal)
            : current.Aliases.Where(a => models.ContainsKey(a.Value.ModelId)).ToDictionary(StringComparer.Ordinal);
        foreach (var (name, alias) in document.Aliases)
        {
            if (AliasNames.Check(name) is { } why)
            {
                errors.Add(new($"aliases.{name}", why));
            }
            else if (alias.Description is { Length: > AliasRules.MaxDescriptionLength })
            {
                errors.Add(new($"aliases.{name}.description", $"description must be at most {AliasRules.MaxDescriptionLength} characters"));
            }
            else if (!alias.Deprecated && models.Values.Any(m => m.ModelId == name))
            {
                errors.Add(new($"aliases.{name}", $"'{name}' is the model_id of a configured model; an alias may take a model's name only as a deprecation redirect (deprecated: true)"));
            }
            else if (Find($"aliases.{name}.model", alias.Model) is { } id)
            {
                var target = models[id];
                var provider = providers[target.ProviderId];
                if (alias.Deprecated && target.ModelId == name)
                {
                    errors.Add(new($"aliases.{name}.model", $"'{name}' is the model_id of the target itself: a deprecation alias redirects an old name to another model"));
                }
                else if (current.Aliases.GetValueOrDefault(name)?.ModelId != id && AliasEligibility.Check(name, $"{provider.Name}/{target.ModelId}", target.IsActive, provider.Name, provider.IsActive, $"aliases.{name}.model") is { } refused)
                {
                    errors.Add(new($"aliases.{name}.model", Message(refused, $"aliases.{name}.model")));
                }

                aliases[name] = new ModelAlias(name, id, alias.Description, alias.Deprecated);
            }
        }

        // A default the file does not name, kept from the catalog, on a model the file makes unfit for it (inactive, another
        // type, on an inactive provider): the API would refuse that change to the model, so the file is refused too.
        foreach (var (purpose, id) in defaults.Where(d => !document.Defaults.ContainsKey(d.Key)).ToList())
        {
            if (Purpose.TryParse(purpose, out var parsed, out _) && current.Defaults.GetValueOrDefault(purpose) == id
                && current.Models.TryGetValue(id, out var before) && current.Providers.TryGetValue(before.ProviderId, out var beforeProvider)
                && DefaultEligibility.Check(parsed, before.ModelId, before.Kind, before.IsActive, beforeProvider.Name, beforeProvider.IsActive, "") is null
                && Eligible(parsed, id, "") is { } refused)
            {
                var reference = $"{providers[models[id].ProviderId].Name}/{models[id].ModelId}";
                var index = document.Models.ToList().FindIndex(m => m.Model == reference);
                errors.Add(new(index >= 0 ? $"models[{index}]" : $"defaults.{purpose}",
                    $"{Message(refused, "")}; it is the default for '{purpose}' (not in the file): name another default for '{purpose}' in the file first"));
            }
        }

        var experiments = ConfigTargetExperiments.Build(current, document, providers, models, aliases, Find, prune, now ?? DateTimeOffset.UtcNow, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CatalogSnapshot(current.Version, current.PublishedAt, providers.Values, models.Values, defaults, current.VirtualKeys.Values, fallbacks, aliases.Values,
            experiments), []);
    }

    /// <summary>
    /// The names of the file's experiments that are stopped or ended in <paramref name="current"/>: <see cref="Build"/>
    /// leaves them exactly as they are (what the file says of them is not applied), which an apply may want to say.
    /// </summary>
    public static IReadOnlyList<string> LeftAsTheyAre(CatalogSnapshot current, ConfigDocument document, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var finished = current.Experiments.Values.Where(e => !ConfigExport.InFile(e, at)).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        return [.. document.Experiments.Select(e => e.Name).OfType<string>().Where(finished.Contains).Distinct(StringComparer.Ordinal)];
    }

    private static bool InCatalog(CatalogSnapshot snapshot, string reference) =>
        snapshot.Models.Values.Any(m => snapshot.Providers.TryGetValue(m.ProviderId, out var p) && $"{p.Name}/{m.ModelId}" == reference);

    private static Dictionary<Guid, ProviderConfig> Providers(
        CatalogSnapshot current, ConfigDocument document, IReadOnlyDictionary<string, string> keys, SecretProtector protector, BaseUrlPolicy baseUrls, bool prune,
        List<ConfigPathError> errors)
    {
        var result = prune ? [] : current.Providers.Values.ToDictionary(p => p.Id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Providers.Count; i++)
        {
            var entry = document.Providers[i];
            var at = $"providers[{i}]";
            string? key = null;
            if (entry.ApiKey is not null && ConfigKeyReferences.Check(entry.ApiKey) is { } notAReference)
            {
                // Never echoed: it may be a key written where a reference belongs.
                errors.Add(new($"{at}.api_key", notAReference));
            }
            else if (entry.ApiKey is not null && !keys.TryGetValue(entry.Name ?? "", out key))
            {
                errors.Add(new($"{at}.api_key", "the key reference was not resolved (api_key is env:NAME or file:/path, resolved by whoever applies the file; a key is never written in the file)"));
            }

            var changes = new ProviderChanges
            {
                Name = entry.Name, Type = entry.Type, BaseUrl = entry.BaseUrl, ApiKey = key, IsActive = entry.Active,
                RequestsPerMinute = entry.Limits?.RequestsPerMinute, TokensPerMinute = entry.Limits?.TokensPerMinute, ShadowLimits = entry.Limits?.Shadow?.ToArray(),
            };
            var invalid = ProviderValidator.Validate(changes, creating: true, baseUrls);
            Report(errors, at, invalid.ToDictionary(), ProviderFields);
            if (!invalid.IsEmpty || entry.Name is not { } name || !ProviderKinds.TryParse(entry.Type, out var kind))
            {
                continue;
            }

            if (!seen.Add(name))
            {
                errors.Add(new($"{at}.name", $"provider '{name}' is named twice"));
                continue;
            }

            var existing = current.Providers.Values.FirstOrDefault(p => p.Name == name);
            var id = existing?.Id ?? Guid.NewGuid();
            var (ciphertext, mask) = key is null ? (null, null)
                : existing?.ApiKeyCiphertext is { } stored && Same(protector, stored, id, key) ? (stored, existing.ApiKeyMask)
                : (protector.Protect(key, SecretContext.ProviderApiKey(id)), SecretMask.Mask(key));
            result[id] = new ProviderConfig(id, name, kind, entry.BaseUrl, ciphertext, mask, entry.Active, existing?.IsDefault ?? false,
                new RateLimits(entry.Limits?.RequestsPerMinute, entry.Limits?.TokensPerMinute) { Shadow = LimitNames.Parse(entry.Limits?.Shadow ?? []) });
        }

        return result;
    }

    private static Dictionary<Guid, ModelDefinition> Models(
        CatalogSnapshot current, ConfigDocument document, Dictionary<Guid, ProviderConfig> providers, bool prune, List<ConfigPathError> errors)
    {
        var result = prune ? [] : current.Models.Values.Where(m => providers.ContainsKey(m.ProviderId)).ToDictionary(m => m.Id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Models.Count; i++)
        {
            var entry = document.Models[i];
            var at = $"models[{i}]";
            var slash = entry.Model?.IndexOf('/', StringComparison.Ordinal) ?? -1;
            if (slash <= 0 || slash == entry.Model!.Length - 1)
            {
                errors.Add(new($"{at}.model", "model is required as provider/model_id (the provider's name in the file, then the upstream model name)"));
                continue;
            }

            var (providerName, modelId) = (entry.Model[..slash], entry.Model[(slash + 1)..]);
            var provider = providers.Values.FirstOrDefault(p => p.Name == providerName);
            if (provider is null)
            {
                errors.Add(new($"{at}.model", $"no provider '{providerName}' in the file or the catalog"));
                continue;
            }

            var changes = new ModelChanges
            {
                ProviderId = provider.Id, ModelId = modelId, DisplayName = entry.DisplayName, Type = entry.Type ?? "chat", IsActive = entry.Active,
                Temperature = entry.Parameters?.Temperature, TopP = entry.Parameters?.TopP, MaxTokens = entry.Parameters?.MaxTokens,
                InputPricePerMillion = entry.Prices?.InputPerMillion, OutputPricePerMillion = entry.Prices?.OutputPerMillion,
                CachedInputPricePerMillion = entry.Prices?.CachedInputPerMillion, ContextWindow = entry.ContextWindow, EmbeddingDimensions = entry.EmbeddingDimensions,
                RequestsPerMinute = entry.Limits?.RequestsPerMinute, TokensPerMinute = entry.Limits?.TokensPerMinute, ShadowLimits = entry.Limits?.Shadow?.ToArray(),
            };
            var invalid = ModelValidator.Validate(changes, creating: true);
            Report(errors, at, invalid.ToDictionary(), ModelFields);
            if (!invalid.IsEmpty || !ModelKinds.TryParse(entry.Type ?? "chat", out var kind))
            {
                continue;
            }

            if (!seen.Add(entry.Model))
            {
                errors.Add(new($"{at}.model", $"model '{entry.Model}' is named twice"));
                continue;
            }

            var existing = current.Models.Values.FirstOrDefault(m => m.ProviderId == provider.Id && m.ModelId == modelId);
            var id = existing?.Id ?? Guid.NewGuid();
            result[id] = new ModelDefinition(id, provider.Id, modelId, entry.DisplayName, kind, entry.Active,
                new ModelParameters(entry.Parameters?.Temperature, entry.Parameters?.TopP, entry.Parameters?.MaxTokens),
                Prices(entry, existing, provider.Kind, modelId), entry.ContextWindow, entry.EmbeddingDimensions)
            {
                Limits = new RateLimits(entry.Limits?.RequestsPerMinute, entry.Limits?.TokensPerMinute) { Shadow = LimitNames.Parse(entry.Limits?.Shadow ?? []) },
            };
        }

        return result;
    }

    // As the API does: prices absent keep a model's own; a new model given none gets the built-in list's, so its usage is
    // never counted as free by mistake (and a later release's list never re-prices a model already there).
    private static Pricing Prices(ConfigModel entry, ModelDefinition? existing, ProviderKind kind, string modelId) =>
        entry.Prices is { } prices ? new Pricing(prices.InputPerMillion, prices.OutputPerMillion, prices.CachedInputPerMillion)
        : existing is not null ? existing.Pricing
        : Usage.BuiltInPrices.For(kind, modelId) ?? Pricing.Unknown;

    private static string Message(CatalogError error, string field) =>
        error.Errors is { } byField && byField.TryGetValue(field, out var messages) ? string.Join(" ", messages) : error.Detail;

    private static bool Same(SecretProtector protector, string ciphertext, Guid providerId, string key)
    {
        try
        {
            var stored = protector.Unprotect(ciphertext, SecretContext.ProviderApiKey(providerId));
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(stored), System.Text.Encoding.UTF8.GetBytes(key));
        }
        catch (SecretDecryptionException)
        {
            return false;
        }
    }

    // The admin API's field names, as paths in the file.
    private static readonly Dictionary<string, string> ProviderFields = new(StringComparer.Ordinal)
    {
        ["requests_per_minute"] = "limits.requests_per_minute", ["tokens_per_minute"] = "limits.tokens_per_minute", ["shadow_limits"] = "limits.shadow",
        ["is_active"] = "active",
    };

    private static readonly Dictionary<string, string> ModelFields = new(StringComparer.Ordinal)
    {
        ["model_id"] = "model", ["provider_id"] = "model", ["is_active"] = "active",
        ["temperature"] = "parameters.temperature", ["top_p"] = "parameters.top_p", ["max_tokens"] = "parameters.max_tokens",
        ["input_price_per_million"] = "prices.input_per_million", ["output_price_per_million"] = "prices.output_per_million",
        ["cached_input_price_per_million"] = "prices.cached_input_per_million",
        ["requests_per_minute"] = "limits.requests_per_minute", ["tokens_per_minute"] = "limits.tokens_per_minute", ["shadow_limits"] = "limits.shadow",
    };

    private static void Report(List<ConfigPathError> errors, string at, IDictionary<string, string[]> found, Dictionary<string, string> fields)
    {
        foreach (var (field, messages) in found)
        {
            errors.AddRange(messages.Select(m => new ConfigPathError($"{at}.{fields.GetValueOrDefault(field, field)}", m)));
        }
    }
}
