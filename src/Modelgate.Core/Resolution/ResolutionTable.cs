using System.Collections.Concurrent;
using System.Collections.Frozen;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Secrets;

namespace Modelgate.Core.Resolution;

/// <summary>
/// Every purpose's resolution for one snapshot, worked out once when the snapshot is applied, so that
/// <see cref="Resolve"/> is a dictionary lookup with no allocation. Agent types without a row of their own
/// are worked out on first use and cached (bounded).
/// </summary>
public sealed class ResolutionTable
{
    private const int MaxCachedAgentTypes = 1024;

    private readonly CatalogSnapshot _snapshot;
    private readonly ResolutionSource _origin;
    private readonly SecretProtector _protector;
    private readonly EnvironmentFallback _environment;
    private readonly FrozenDictionary<string, ResolutionEntry> _known;
    private readonly ConcurrentDictionary<string, ResolutionEntry> _fallbacks = new(StringComparer.Ordinal);

    public ResolutionTable(CatalogSnapshot snapshot, ResolutionSource origin, SecretProtector protector, EnvironmentFallback environment)
    {
        _snapshot = snapshot;
        _origin = origin;
        _protector = protector;
        _environment = environment;
        var purposes = new[] { Purpose.Chat, Purpose.Agents, Purpose.Embeddings }
            .Concat(snapshot.Defaults.Keys.Select(k => Purpose.TryParse(k, out var p, out _) ? p : (Purpose?)null).OfType<Purpose>())
            .Distinct();
        var entries = new Dictionary<string, ResolutionEntry>(StringComparer.Ordinal);
        foreach (var purpose in purposes.OrderBy(p => p.AgentType is null ? 0 : 1))
        {
            entries[purpose.Name] = Build(purpose, entries);
        }

        _known = entries.ToFrozenDictionary(StringComparer.Ordinal);
        var modelIds = snapshot.Models.Values.Select(m => m.ModelId).ToHashSet(StringComparer.Ordinal);
        _aliases = snapshot.Aliases.Values
            .Where(a => a.Deprecated || !modelIds.Contains(a.Name))
            .ToFrozenDictionary(a => a.Name, BuildAlias, StringComparer.Ordinal);
        _experiments = snapshot.Experiments.Values
            .Where(e => e.State == ExperimentState.Running && (Purpose.TryParse(e.Target, out _) || _aliases.ContainsKey(e.Target)))
            // One experiment per target that has not ended, but ended ones stay "running" until stopped: the latest to end
            // (and so the only one that may still be live) takes the target.
            .GroupBy(e => e.Target, StringComparer.Ordinal)
            .Select(g => g.MaxBy(e => (e.EndsAt ?? DateTimeOffset.MaxValue, e.StartsAt ?? DateTimeOffset.MinValue))!)
            .ToFrozenDictionary(e => e.Target, BuildExperiment, StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, ExperimentRoute> _experiments;

    /// <summary>
    /// The running experiment on a purpose or alias name (whether it is live now is the caller's to check with
    /// <see cref="Experiment.IsLive"/>). An experiment on an alias that a model's name shadows has no route.
    /// </summary>
    public bool TryExperiment(string target, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExperimentRoute? route) =>
        _experiments.TryGetValue(target, out route);

    /// <summary>The running experiments' routes, for listing.</summary>
    public IEnumerable<ExperimentRoute> Experiments => _experiments.Values;

    private ExperimentRoute BuildExperiment(Experiment experiment)
    {
        IReadOnlyList<ResolvedModel> target = [];
        string? targetError = null;
        try
        {
            target = Purpose.TryParse(experiment.Target, out var purpose) ? Chain(purpose) : _aliases[experiment.Target].Chain;
        }
        catch (ModelgateConfigurationException e)
        {
            targetError = e.Message;
        }

        // Every model of an alias experiment's chains is the alias's to the caller: a key allowed the alias, the record's
        // purpose and a deprecation header treat each variant's call like any call naming the alias.
        var targetAlias = _aliases.TryGetValue(experiment.Target, out var aliased) ? aliased.Alias : null;
        var targetPurpose = target.Count > 0 ? target[0].Purpose : Purpose.TryParse(experiment.Target, out var p) ? p : Purpose.Chat;
        var chains = new IReadOnlyList<ResolvedModel>?[experiment.Variants.Count];
        var shadows = new List<(ExperimentVariant, ResolvedModel)>();
        var problems = new List<string>();
        for (var i = 0; i < experiment.Variants.Count; i++)
        {
            var variant = experiment.Variants[i];
            var arm = new ExperimentArm(experiment.Id, experiment.Name, variant.Name, variant.Shadow);
            IReadOnlyList<ResolvedModel> chain;
            if (variant.ModelId is not { } modelId)
            {
                chain = target;
                if (chain.Count == 0)
                {
                    problems.Add($"variant '{variant.Name}' uses the target '{experiment.Target}', which cannot serve now: {targetError ?? "it resolves to nothing"}");
                    continue;
                }
            }
            else
            {
                var how = $"as variant '{variant.Name}' of experiment '{experiment.Name}' on '{experiment.Target}'";
                var found = FromCatalog(targetPurpose, modelId, out var whyNot, ignoreKind: true, how: how, owner: $"variant '{variant.Name}' of experiment '{experiment.Name}'");
                if (found?.Model is not { } model)
                {
                    problems.Add($"variant '{variant.Name}' cannot serve now: {found?.Error ?? whyNot}");
                    continue;
                }

                // The variant's model first, then the target's own fallbacks (a fallback keeps the call counted under its variant).
                chain = [model, .. target.Skip(1).Where(r => r.Model.Id != model.Model.Id)];
            }

            if (variant.Shadow)
            {
                shadows.Add((variant, Stamp(chain[0], arm, variant.Parameters, targetAlias)));
                continue;
            }

            chains[i] = [.. chain.Select(r => Stamp(r, arm, variant.Parameters, targetAlias))];
        }

        return new ExperimentRoute(experiment, chains, [.. shadows], problems);
    }

    private static ResolvedModel Stamp(ResolvedModel resolved, ExperimentArm arm, ModelParameters? overrides, ModelAlias? alias) => new()
    {
        Purpose = resolved.Purpose,
        Provider = resolved.Provider,
        Model = overrides is null ? resolved.Model : resolved.Model with
        {
            Parameters = new ModelParameters(
                overrides.Temperature ?? resolved.Model.Parameters.Temperature,
                overrides.TopP ?? resolved.Model.Parameters.TopP,
                overrides.MaxTokens ?? resolved.Model.Parameters.MaxTokens),
        },
        ApiKey = resolved.ApiKey,
        Source = resolved.Source,
        Alias = alias ?? resolved.Alias,
        Arm = arm,
        Reason = $"{resolved.Reason}; experiment '{arm.Experiment}' assigned variant '{arm.Variant}'{(arm.Shadow ? " (shadow copy)" : "")}",
        CatalogVersion = resolved.CatalogVersion,
    };

    private readonly FrozenDictionary<string, AliasResolution> _aliases;

    /// <summary>
    /// The alias of that name, worked out once per snapshot: its target model alone (no fallbacks), or why it cannot serve.
    /// A non-deprecated alias named like a configured model's model_id gives way to the model (only a deprecation redirect
    /// may stand in for a model that exists).
    /// </summary>
    public bool TryAlias(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AliasResolution? alias) =>
        _aliases.TryGetValue(name, out alias);

    /// <summary>
    /// Every alias in the table, those that serve and those that fail (<see cref="AliasResolution.Entry"/> says which); not
    /// the non-deprecated ones that give way to a model of the same model_id. Unordered.
    /// </summary>
    public IEnumerable<AliasResolution> Aliases => _aliases.Values;

    private AliasResolution BuildAlias(ModelAlias alias)
    {
        var label = $"alias '{alias.Name}'";
        if (!_snapshot.Models.TryGetValue(alias.ModelId, out var model))
        {
            return new AliasResolution(alias, new ResolutionEntry(null, $"{label} points at a model that no longer exists"), []);
        }

        var purpose = model.Kind == ModelKind.Embedding ? Purpose.Embeddings : Purpose.Chat;
        var fromCatalog = FromCatalog(purpose, model.Id, out _, ignoreKind: true, how: "", owner: $"model '{model.ModelId}'");
        if (fromCatalog is not { Model: { } found })
        {
            return new AliasResolution(alias, new ResolutionEntry(null, fromCatalog?.Error is { } error ? $"{label}: {error}" : $"{label} -> model '{model.ModelId}' cannot be used now: {FromModelError(model)}"), []);
        }

        var lastKnownGood = _origin == ResolutionSource.LastKnownGood ? $"; last-known-good snapshot v{_snapshot.Version}" : "";
        var resolved = new ResolvedModel
        {
            Purpose = purpose,
            Provider = found.Provider,
            Model = found.Model,
            ApiKey = found.ApiKey,
            Source = found.Source,
            Alias = alias,
            Reason = $"{label} -> model '{model.ModelId}' on provider '{found.Provider.Name}'{(alias.Deprecated ? " (deprecated alias)" : "")} (catalog v{_snapshot.Version}){lastKnownGood}",
            CatalogVersion = found.CatalogVersion,
        };
        return new AliasResolution(alias, new ResolutionEntry(resolved, null), [resolved]);
    }

    /// <summary>
    /// What a name a caller may send as <c>model</c> resolves to, in the gateway's order (a purpose, an alias, a configured
    /// model by upstream name or id), as an entry: the model, or the error a call naming it would get.
    /// </summary>
    public ResolutionEntry Requested(string requested) =>
        Purpose.TryParse(requested, out var purpose) ? Entry(purpose)
        : TryAlias(requested, out var alias) ? alias.Entry
        : ModelByName(requested);

    /// <summary>The purposes with an entry of their own: chat, agents, embeddings and every configured agent type.</summary>
    public IEnumerable<KeyValuePair<string, ResolutionEntry>> Known => _known;

    /// <summary><see cref="Known"/> in reading order: chat, agents and embeddings first, then agent types by name.</summary>
    public IEnumerable<KeyValuePair<string, ResolutionEntry>> KnownInOrder =>
        _known.OrderBy(k => k.Key.Contains('/', StringComparison.Ordinal) ? 1 : 0).ThenBy(k => k.Key, StringComparer.Ordinal);

    /// <summary>The resolution for the purpose, or a <see cref="ModelgateConfigurationException"/> saying what to configure.</summary>
    public ResolvedModel Resolve(Purpose purpose) => Entry(purpose).Model ?? throw new ModelgateConfigurationException(purpose.Name, Entry(purpose).Error!);

    public ResolutionEntry Entry(Purpose purpose)
    {
        if (_known.TryGetValue(purpose.Name, out var entry))
        {
            return entry;
        }

        if (_fallbacks.TryGetValue(purpose.Name, out entry))
        {
            return entry;
        }

        entry = Build(purpose, _known);
        if (_fallbacks.Count < MaxCachedAgentTypes)
        {
            _fallbacks.TryAdd(purpose.Name, entry);
        }

        return entry;
    }

    /// <summary>
    /// Resolves a configured model asked for by name (its upstream model_id, or its id) rather than by purpose, as a
    /// gateway caller may. Only active models of active providers; an ambiguous name must be given as the id.
    /// </summary>
    public ResolutionEntry ModelByName(string requested)
    {
        if (_models.TryGetValue(requested, out var cached))
        {
            return cached;
        }

        var matches = Guid.TryParse(requested, out var id)
            ? _snapshot.Models.TryGetValue(id, out var byId) ? [byId] : []
            : _snapshot.Models.Values.Where(m => m.ModelId == requested).ToList();
        ResolutionEntry entry;
        if (matches.Count == 1 && FromCatalog(matches[0].Kind == ModelKind.Embedding ? Purpose.Embeddings : Purpose.Chat, matches[0].Id, out _, ignoreKind: true, how: "asked for by name") is { Model: not null } found)
        {
            entry = found;
        }
        else
        {
            entry = new ResolutionEntry(null, matches.Count switch
            {
                0 => $"'{requested}' is neither a purpose (chat, agents, embeddings, agents/<type>), an alias nor a configured model; GET /v1/models lists what you can use",
                1 => $"model '{requested}' cannot be used now: {FromModelError(matches[0])}",
                _ => $"model '{requested}' is offered by several providers; ask for it by its id",
            });
        }

        if (_models.Count < MaxCachedAgentTypes)
        {
            _models.TryAdd(requested, entry);
        }

        return entry;
    }

    private readonly ConcurrentDictionary<string, ResolutionEntry> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ResolvedModel>> _chains = new(StringComparer.Ordinal);

    /// <summary>
    /// The models to try for a purpose, in order: its resolution, then its usable fallbacks (an agent type without a
    /// default of its own uses the fallbacks of <c>agents</c>). Throws like <see cref="Resolve"/> when even the first is missing.
    /// </summary>
    public IReadOnlyList<ResolvedModel> Chain(Purpose purpose)
    {
        var first = Resolve(purpose);
        if (_chains.TryGetValue(purpose.Name, out var chain))
        {
            return chain;
        }

        var owner = _snapshot.Defaults.ContainsKey(purpose.Name) || purpose.Parent is not { } parent ? purpose : parent;
        var result = new List<ResolvedModel> { first };
        if (_snapshot.Fallbacks.TryGetValue(owner.Name, out var fallbacks))
        {
            var position = 0;
            foreach (var id in fallbacks)
            {
                position++;
                if (FromCatalog(purpose, id, out _, how: $"fallback {position} for '{owner}'") is { Model: { } fallback } && result.All(r => r.Model.Id != fallback.Model.Id))
                {
                    result.Add(fallback);
                }
            }
        }

        if (_chains.Count < MaxCachedAgentTypes)
        {
            _chains.TryAdd(purpose.Name, result);
        }

        return result;
    }

    private string FromModelError(ModelDefinition model) =>
        !model.IsActive ? "it is inactive"
        : !_snapshot.Providers.TryGetValue(model.ProviderId, out var provider) || !provider.IsActive ? "its provider is inactive"
        : "its provider has no API key";

    private ResolutionEntry Build(Purpose purpose, IReadOnlyDictionary<string, ResolutionEntry> built)
    {
        string whyNot;
        if (_snapshot.Defaults.TryGetValue(purpose.Name, out var modelId))
        {
            var fromCatalog = FromCatalog(purpose, modelId, out whyNot);
            if (fromCatalog is not null)
            {
                return fromCatalog;
            }
        }
        else
        {
            whyNot = $"the catalog (v{_snapshot.Version}) has no default for '{purpose}'";
        }

        if (purpose.Parent is { } parent && built.TryGetValue(parent.Name, out var parentEntry) && parentEntry.Model is { Source: not ResolutionSource.Environment } inherited)
        {
            return new ResolutionEntry(Rename(inherited, purpose, $"{whyNot}; falls back to '{parent}': {inherited.Reason}"), null);
        }

        var fromEnvironment = _environment.TryResolve(purpose, _snapshot.Version, whyNot, out var missing);
        if (fromEnvironment is not null)
        {
            return new ResolutionEntry(fromEnvironment, null);
        }

        return new ResolutionEntry(null,
            $"No model is configured for purpose '{purpose}': {whyNot}. Set one with PUT /api/v1/llm-defaults/{purpose} {{\"model_id\": \"...\"}} (or PUT /api/v1/llm-models/{{id}} with a default flag), or {missing}.");
    }

    private ResolutionEntry? FromCatalog(Purpose purpose, Guid modelId, out string whyNot, bool ignoreKind = false, string? how = null, string? owner = null)
    {
        if (!_snapshot.Models.TryGetValue(modelId, out var model) || !_snapshot.Providers.TryGetValue(model.ProviderId, out var provider))
        {
            whyNot = $"the default for '{purpose}' points at a model that no longer exists";
            return null;
        }

        var label = $"model '{model.ModelId}' on provider '{provider.Name}'";
        whyNot = (model.IsActive, provider.IsActive, model.Kind == purpose.RequiredModelKind) switch
        {
            (false, _, _) => $"the default for '{purpose}', {label}, is inactive",
            (_, false, _) => $"the default for '{purpose}', {label}, is on an inactive provider",
            (_, _, false) when !ignoreKind => $"the default for '{purpose}', {label}, is not a {purpose.RequiredModelKind.ToName()} model",
            _ when provider.RequiresApiKey && provider.ApiKeyCiphertext is null => $"the default for '{purpose}', {label}, has no API key set on its provider",
            _ => "",
        };
        if (whyNot.Length > 0)
        {
            return null;
        }

        string? key = null;
        if (provider.ApiKeyCiphertext is { } ciphertext)
        {
            try
            {
                key = _protector.Unprotect(ciphertext, SecretContext.ProviderApiKey(provider.Id));
            }
            catch (SecretDecryptionException e)
            {
                // Fail closed: a key that cannot be read is not replaced by another source.
                return new ResolutionEntry(null, $"The API key of provider '{provider.Name}' ({owner ?? $"default for '{purpose}'"}) cannot be decrypted: {e.Message} Set the key again with PUT /api/v1/llm-providers/{provider.Id}.");
            }
        }

        var lastKnownGood = _origin == ResolutionSource.LastKnownGood
            ? $"; the database is unreachable, so this is the last-known-good snapshot v{_snapshot.Version} published {_snapshot.PublishedAt:u}"
            : "";
        return new ResolutionEntry(new ResolvedModel
        {
            Purpose = purpose,
            Provider = provider,
            Model = model,
            ApiKey = key,
            Source = _origin,
            Reason = how is null ? $"the default for '{purpose}' is {label} (catalog v{_snapshot.Version}){lastKnownGood}" : $"{label} {how} (catalog v{_snapshot.Version}){lastKnownGood}",
            CatalogVersion = _snapshot.Version,
        }, null);
    }

    private static ResolvedModel Rename(ResolvedModel inherited, Purpose purpose, string reason) => new()
    {
        Purpose = purpose,
        Provider = inherited.Provider,
        Model = inherited.Model,
        ApiKey = inherited.ApiKey,
        Source = inherited.Source,
        Reason = reason,
        CatalogVersion = inherited.CatalogVersion,
    };
}
