using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.ConfigAsCode;

/// <summary>
/// The experiments part of <see cref="ConfigTarget"/>: the file's experiments laid over the catalog's by name, each
/// through <see cref="ExperimentValidator"/> and then the rules the experiment store applies against the catalog
/// (<c>ExperimentDefinition</c>, <c>ExperimentGuards</c>), checked here on the target catalog instead of the database.
/// Stopped and ended experiments are history, left exactly as they are (see <see cref="ConfigTarget"/>).
/// </summary>
internal static class ConfigTargetExperiments
{
    // A variant's model as the API's body (and so the validator) names it.
    private const string ModelId = ".model_id";

    /// <param name="current">The catalog in effect.</param>
    /// <param name="document">The file.</param>
    /// <param name="providers">The target's providers.</param>
    /// <param name="models">The target's models.</param>
    /// <param name="aliases">The target's aliases.</param>
    /// <param name="find">The model a <c>provider/model_id</c> names in the target, or null with an error at the path.</param>
    /// <param name="prune">Whether running or scheduled experiments the file does not name are removed.</param>
    /// <param name="now">The instant that decides what is running, scheduled or ended.</param>
    /// <param name="errors">Where errors are added, by path.</param>
    public static List<Experiment> Build(
        CatalogSnapshot current, ConfigDocument document, IReadOnlyDictionary<Guid, ProviderConfig> providers, IReadOnlyDictionary<Guid, ModelDefinition> models,
        IReadOnlyDictionary<string, ModelAlias> aliases, Func<string, string?, Guid?> find, bool prune, DateTimeOffset now, List<ConfigPathError> errors)
    {
        var named = document.Experiments.Select(e => e.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var result = new List<Experiment>();
        // Target → who holds it: one running or scheduled experiment per purpose or alias.
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new List<Experiment>();
        foreach (var experiment in current.Experiments.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (!ConfigExport.InFile(experiment, now))
            {
                // Stopped or ended: history, exactly as it is, whatever the file says under its name.
                result.Add(experiment);
            }
            else if (named.Contains(experiment.Name))
            {
                // Laid over below.
            }
            else if (!prune)
            {
                result.Add(experiment);
                kept.Add(experiment);
                holders.TryAdd(experiment.Target,
                    $"experiment '{experiment.Name}' (in the catalog, not in the file) is already running or scheduled on '{experiment.Target}': one experiment per "
                    + $"purpose or alias at a time; stop it first (POST /api/v1/experiments/{experiment.Name}/stop)");
            }
            else if (experiment.IsLive(now))
            {
                errors.Add(new("experiments",
                    $"experiment '{experiment.Name}' is running on '{experiment.Target}' and the file does not name it: prune would delete it, and a running experiment "
                    + $"is not deleted; stop it first (POST /api/v1/experiments/{experiment.Name}/stop), or name it in the file"));
            }

            // Otherwise scheduled and not named: pruned, as DELETE /experiments deletes a scheduled one.
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Experiments.Count; i++)
        {
            if (FromFile(current, document.Experiments[i], $"experiments[{i}]", models, providers, aliases, find, now, seen, holders, errors) is { } experiment)
            {
                result.Add(experiment);
            }
        }

        foreach (var experiment in kept)
        {
            Kept(current, experiment, document, providers, models, aliases, errors);
        }

        return result;
    }

    // One of the file's experiments as it would be, or null (with errors, or when it is history left as it is).
    private static Experiment? FromFile(
        CatalogSnapshot current, ConfigExperiment entry, string at, IReadOnlyDictionary<Guid, ModelDefinition> models, IReadOnlyDictionary<Guid, ProviderConfig> providers,
        IReadOnlyDictionary<string, ModelAlias> aliases, Func<string, string?, Guid?> find, DateTimeOffset now, HashSet<string> seen, Dictionary<string, string> holders,
        List<ConfigPathError> errors)
    {
        var before = errors.Count;
        var invalid = ExperimentValidator.Validate(Changes(entry), creating: true).ToDictionary();
        foreach (var (field, messages) in invalid)
        {
            // The validator names a variant's model model_id, as the API's body does; the file calls it model.
            var model = field.EndsWith(ModelId, StringComparison.Ordinal);
            errors.AddRange(messages.Select(m => new ConfigPathError(
                model ? $"{at}.{field[..^ModelId.Length]}.model" : $"{at}.{field}", model ? m.Replace("model_id", "model", StringComparison.Ordinal) : m)));
        }

        if (entry.Name is { } duplicate && !invalid.ContainsKey("name") && !seen.Add(duplicate))
        {
            errors.Add(new($"{at}.name", $"experiment '{duplicate}' is named twice"));
            return null;
        }

        var existing = current.Experiments.Values.FirstOrDefault(e => e.Name == entry.Name);
        if (existing is not null && !ConfigExport.InFile(existing, now))
        {
            // Stopped or ended: left as it is (ConfigTarget.LeftAsTheyAre names it); the file's values were still checked above.
            return null;
        }

        ModelKind? kind = null;
        if (entry.Target is { } target && !invalid.ContainsKey("target"))
        {
            if (Purpose.TryParse(target, out var purpose))
            {
                kind = purpose.RequiredModelKind;
            }
            else if (aliases.TryGetValue(target, out var alias) && models.TryGetValue(alias.ModelId, out var aliased))
            {
                kind = aliased.Kind;
            }
            else
            {
                errors.Add(new($"{at}.target", $"'{target}' is neither a purpose (chat, agents, embeddings, agents/<type>) nor an alias in the file or the catalog"));
            }

            if (existing is not null && existing.Target != target && existing.IsLive(now))
            {
                errors.Add(new($"{at}.target",
                    $"experiment '{existing.Name}' is running on '{existing.Target}': its target cannot change while it runs; stop it and name a new experiment for '{target}'"));
            }
        }

        var variants = new List<ExperimentVariant>();
        for (var j = 0; j < Math.Min(entry.Variants.Count, ExperimentValidator.MaxVariants); j++)
        {
            var variant = entry.Variants[j];
            Guid? modelId = null;
            if (variant.Model is { } reference)
            {
                var path = $"{at}.variants[{j}].model";
                modelId = find(path, reference);
                if (modelId is { } id && Serves(models[id], providers, kind, entry.Target) is { } cannot)
                {
                    errors.Add(new(path, $"model '{reference}' {cannot}"));
                }
            }

            var parameters = variant.Parameters is { } p && p != new ConfigParameters() ? new ModelParameters(p.Temperature, p.TopP, p.MaxTokens) : null;
            variants.Add(new ExperimentVariant(variant.Name ?? "", modelId, variant.Weight ?? 0, parameters, variant.Shadow));
        }

        if (entry.EndsAt is { } end && end <= now)
        {
            errors.Add(new($"{at}.ends_at",
                $"ends_at ({end:u}) is not in the future: the file's experiments are applied to run (to stop one now, POST /api/v1/experiments/{{id}}/stop)"));
        }

        if (entry.Target is { } held && holders.TryGetValue(held, out var holder))
        {
            errors.Add(new($"{at}.target", holder));
        }

        if (errors.Count > before)
        {
            return null;
        }

        holders[entry.Target!] = $"experiment '{entry.Name}' ({at}) is on '{entry.Target}' too: one running or scheduled experiment per purpose or alias at a time";
        var experimentId = existing?.Id ?? Guid.CreateVersion7();
        return new Experiment
        {
            Id = experimentId,
            Name = entry.Name!,
            Target = entry.Target!,
            Variants = variants,
            Stickiness = ExperimentStickinesses.TryParse(entry.Stickiness, out var stickiness) ? stickiness : ExperimentStickiness.Session,
            Guardrails = [.. entry.Guardrails.Select(g => new ExperimentGuardrail(g.Metric!, g.MaxIncrease, g.MaxRatio))],
            StartsAt = entry.StartsAt,
            EndsAt = entry.EndsAt,
            State = ExperimentState.Running,
            StopReason = existing?.StopReason,
            Description = entry.Description,
            Alpha = entry.Alpha ?? ExperimentValidator.DefaultAlpha,
        };
    }

    // A running or scheduled experiment the file does not name (kept, without prune): the file must not take away what
    // its variants use, as the API refuses to deactivate or retype a model (or deactivate its provider, or move its alias
    // to a model of another kind) while a running experiment uses it. The error is at the file's value that does it.
    private static void Kept(
        CatalogSnapshot current, Experiment experiment, ConfigDocument document, IReadOnlyDictionary<Guid, ProviderConfig> providers,
        IReadOnlyDictionary<Guid, ModelDefinition> models, IReadOnlyDictionary<string, ModelAlias> aliases, List<ConfigPathError> errors)
    {
        ModelKind? kind = Purpose.TryParse(experiment.Target, out var purpose) ? purpose.RequiredModelKind
            : aliases.TryGetValue(experiment.Target, out var alias) && models.TryGetValue(alias.ModelId, out var aliased) ? aliased.Kind
            : null;
        foreach (var variant in experiment.Variants)
        {
            if (variant.ModelId is not { } id || !models.TryGetValue(id, out var model) || Serves(model, providers, kind, experiment.Target) is not { } cannot)
            {
                continue;
            }

            var provider = providers[model.ProviderId];
            var reference = $"{provider.Name}/{model.ModelId}";
            var modelAt = IndexOf(document.Models.Select(m => m.Model), reference) is { } m ? $"models[{m}]" : null;
            var providerAt = IndexOf(document.Providers.Select(p => p.Name), provider.Name) is { } p ? $"providers[{p}]" : null;
            // In the order Serves checks: the kind (the model retyped, or the alias moved), then the model, then its provider.
            var path = kind is { } needed && model.Kind != needed
                ? (current.Models.TryGetValue(id, out var was) && was.Kind != model.Kind ? Field(modelAt, "type")
                    : document.Aliases.ContainsKey(experiment.Target) ? $"aliases.{experiment.Target}.model" : "experiments")
                : !model.IsActive ? Field(modelAt, "active")
                : Field(providerAt, "active");
            errors.Add(new(path,
                $"model '{reference}' {cannot}, and variant '{variant.Name}' of experiment '{experiment.Name}' (running or scheduled on '{experiment.Target}', "
                + "not in the file) uses it; stop that experiment first, or name it in the file with other models"));
        }
    }

    private static string Field(string? at, string field) => at is null ? "experiments" : $"{at}.{field}";

    // Why the model cannot serve a variant of an experiment on a target of that kind (as the store says it), or null.
    private static string? Serves(ModelDefinition model, IReadOnlyDictionary<Guid, ProviderConfig> providers, ModelKind? kind, string? target) =>
        kind is { } needed && model.Kind != needed ? $"is a {model.Kind.ToName()} model and the target '{target}' serves {needed.ToName()} models"
        : !model.IsActive ? "is inactive and cannot serve a variant; activate it first"
        : providers.TryGetValue(model.ProviderId, out var provider) && !provider.IsActive
            ? $"belongs to inactive provider '{provider.Name}' and cannot serve a variant; activate it first"
        : null;

    private static int? IndexOf(IEnumerable<string?> names, string name) =>
        names.Select((n, i) => (n, i)).FirstOrDefault(x => x.n == name) is { n: not null } found ? found.i : null;

    // The experiment as the admin API would receive it in a POST (a field the file leaves out is absent, not null), so
    // the API's validator checks the file's values.
    private static ExperimentChanges Changes(ConfigExperiment entry) => new()
    {
        Name = Given(entry.Name),
        Target = Given(entry.Target),
        Variants = entry.Variants.Select(v => new ExperimentVariantChanges(v.Name, v.Model, v.Weight, v.Shadow,
            v.Parameters is { } p ? new ModelParameters(p.Temperature, p.TopP, p.MaxTokens) : null)).ToArray(),
        Stickiness = Given(entry.Stickiness),
        Guardrails = entry.Guardrails.Select(g => new ExperimentGuardrail(g.Metric!, g.MaxIncrease, g.MaxRatio)).ToArray(),
        StartsAt = entry.StartsAt is { } start ? start : default(Optional<DateTimeOffset?>),
        EndsAt = entry.EndsAt is { } end ? end : default(Optional<DateTimeOffset?>),
        Description = Given(entry.Description),
        Alpha = entry.Alpha is { } alpha ? alpha : default(Optional<double?>),
    };

    private static Optional<string?> Given(string? value) => value is null ? default(Optional<string?>) : value;
}
