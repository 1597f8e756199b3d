using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>
/// Adds or edits an experiment through the admin API's store and rules. Variants and guardrails are a fixed number of
/// rows (no script); blank rows are left out, and the store's messages about the n-th variant or guardrail sent are
/// shown on the row it came from.
/// </summary>
internal sealed class ExperimentEditModel(ExperimentStore store, CurrentCatalog catalog) : ConsolePage
{
    public const int MinVariantRows = 4, MinGuardrailRows = 3;

    public sealed record Choice(string Value, string Label);

    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "new";
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "target")] public string? Target { get; set; }
    [BindProperty(Name = "stickiness")] public string? Stickiness { get; set; } = "session";
    [BindProperty(Name = "starts_at")] public string? StartsAt { get; set; }
    [BindProperty(Name = "ends_at")] public string? EndsAt { get; set; }
    [BindProperty(Name = "alpha")] public string? Alpha { get; set; } = "0.05";
    [BindProperty(Name = "description")] public string? Description { get; set; }
    [BindProperty(Name = "revision")] public int? Revision { get; set; }

    [BindProperty(Name = "variant_name")] public string?[] VariantNames { get; set; } = ["control", "treatment", null, null];
    [BindProperty(Name = "variant_model")] public string?[] VariantModels { get; set; } = [];
    [BindProperty(Name = "variant_weight")] public string?[] VariantWeights { get; set; } = ["50", "50", null, null];
    [BindProperty(Name = "variant_temperature")] public string?[] VariantTemperatures { get; set; } = [];
    [BindProperty(Name = "variant_top_p")] public string?[] VariantTopPs { get; set; } = [];
    [BindProperty(Name = "variant_max_tokens")] public string?[] VariantMaxTokens { get; set; } = [];

    /// <summary>The rows (0-based) whose shadow box is ticked.</summary>
    [BindProperty(Name = "variant_shadow")] public int[] VariantShadows { get; set; } = [];

    [BindProperty(Name = "guardrail_metric")] public string?[] GuardrailMetricNames { get; set; } = [];

    /// <summary>Percentage points (2 is "+2 points"), sent to the API as a fraction.</summary>
    [BindProperty(Name = "guardrail_max_increase")] public string?[] GuardrailIncreases { get; set; } = [];
    [BindProperty(Name = "guardrail_max_ratio")] public string?[] GuardrailRatios { get; set; } = [];

    public ExperimentView? Existing { get; private set; }

    public bool IsNew => Id == "new";

    public int VariantRows => Math.Max(MinVariantRows, VariantNames.Length);

    public int GuardrailRows => Math.Max(MinGuardrailRows, GuardrailMetricNames.Length);

    /// <summary>Which form row the n-th variant and guardrail sent came from, to put the store's messages back on it.</summary>
    private List<int> _variantRows = [], _guardrailRows = [];

    public static string? At(string?[] values, int row) => row < values.Length ? values[row] : null;

    /// <summary>Active models on active providers, and any model a variant uses that is no longer one of them.</summary>
    public IReadOnlyList<Choice> ModelChoices
    {
        get
        {
            var snapshot = catalog.State.Snapshot;
            var choices = snapshot.Models.Values
                .Where(m => m.IsActive && snapshot.Providers.TryGetValue(m.ProviderId, out var p) && p.IsActive)
                .Select(m => new Choice(m.Id.ToString(), $"{m.DisplayName ?? m.ModelId} ({snapshot.Providers[m.ProviderId].Name})"))
                .OrderBy(c => c.Label, StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var v in Existing?.Variants ?? [])
            {
                if (v.ModelId is { } id && choices.All(c => c.Value != id.ToString()))
                {
                    choices.Add(new Choice(id.ToString(), $"{ExperimentText.Model(v)} — inactive"));
                }
            }

            return choices;
        }
    }

    /// <summary>Purposes in effect and aliases, offered for the target (any purpose or alias name may be typed).</summary>
    public IReadOnlyList<string> TargetChoices =>
        [.. ResolutionRow.From(catalog.State).Select(r => r.Purpose), .. catalog.State.Snapshot.Aliases.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every message the last refusal has for one variant or guardrail row (<c>variant2</c>, <c>guardrail0</c>).</summary>
    public string? RowError(string row) =>
        Refusal?.Errors?.Where(e => e.Key == row || e.Key.StartsWith(row + ".", StringComparison.Ordinal)).SelectMany(e => e.Value) is { } messages
            && string.Join(" ", messages) is { Length: > 0 } text ? text : null;

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsNew)
        {
            return Page();
        }

        if (!await LoadAsync())
        {
            return NotFound();
        }

        Show(Existing!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!IsNew && !await LoadAsync())
        {
            return NotFound();
        }

        var input = new FormInput();
        var changes = Read(input);
        if (input.Error is { } invalid)
        {
            return Refused(invalid);
        }

        var result = IsNew
            ? await store.CreateAsync(changes, Actor, HttpContext.RequestAborted)
            : await store.UpdateAsync(Existing!.Id.ToString(), changes, Revision, Actor, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return Done($"Experiment {saved.Name} {(IsNew ? "added" : "saved")}.", $"/experiments/{saved.Id}");
        }

        if (result.Error!.Kind == CatalogErrorKind.PreconditionFailed && await LoadAsync())
        {
            Show(Existing!); // changed meanwhile: the form shows what is there now
        }

        return Refused(OnRows(result.Error));
    }

    private ExperimentChanges Read(FormInput input)
    {
        var variants = new List<ExperimentVariantChanges>();
        _variantRows = [];
        for (var row = 0; row < VariantRows; row++)
        {
            var (name, model, weight) = (At(VariantNames, row)?.Trim(), At(VariantModels, row), At(VariantWeights, row));
            var (temperature, topP, maxTokens) = (At(VariantTemperatures, row), At(VariantTopPs, row), At(VariantMaxTokens, row));
            var shadow = VariantShadows.Contains(row);
            if (!shadow && new[] { name, model, weight, temperature, topP, maxTokens }.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var field = $"variant{row}";
            var parameters = new ModelParameters(
                input.Double(temperature, field + ".temperature"), input.Double(topP, field + ".top_p"), input.Int(maxTokens, field + ".max_tokens"));
            variants.Add(new ExperimentVariantChanges(name, string.IsNullOrEmpty(model) ? null : model, input.Int(weight, field + ".weight"), shadow,
                parameters == new ModelParameters() ? null : parameters));
            _variantRows.Add(row);
        }

        var guardrails = new List<ExperimentGuardrail>();
        _guardrailRows = [];
        for (var row = 0; row < GuardrailRows; row++)
        {
            if (At(GuardrailMetricNames, row) is not { Length: > 0 } metric)
            {
                continue;
            }

            var points = input.Double(At(GuardrailIncreases, row), $"guardrail{row}.max_increase");
            guardrails.Add(new ExperimentGuardrail(metric, points / 100, input.Double(At(GuardrailRatios, row), $"guardrail{row}.max_ratio")));
            _guardrailRows.Add(row);
        }

        var changes = new ExperimentChanges
        {
            Name = Name?.Trim(),
            Stickiness = Stickiness,
            Variants = variants.ToArray(),
            Guardrails = guardrails.ToArray(),
            Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            Alpha = input.Double(Alpha, "alpha") ?? 0.05,
        };

        // Unchanged fields stay as they are: a target may not change while the experiment runs, and a time shown to the
        // minute would otherwise lose its seconds (or an end already past would be refused as not in the future).
        if (Target?.Trim() != Existing?.Target)
        {
            changes = changes with { Target = Target?.Trim() };
        }

        if (StartsAt?.Trim() != FormInput.ShowMoment(Existing?.StartsAt))
        {
            changes = changes with { StartsAt = input.Moment(StartsAt, "starts_at") };
        }

        return EndsAt?.Trim() == FormInput.ShowMoment(Existing?.EndsAt) ? changes : changes with { EndsAt = input.Moment(EndsAt, "ends_at") };
    }

    // The store names variants[n] and guardrails[n] as sent; the form names the rows they came from.
    private CatalogError OnRows(CatalogError error)
    {
        if (error.Errors is not { } errors)
        {
            return error;
        }

        var renamed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in errors)
        {
            renamed[Renamed(key, "variants[", "variant", _variantRows) ?? Renamed(key, "guardrails[", "guardrail", _guardrailRows) ?? key] = messages;
        }

        return error with { Errors = renamed };
    }

    private static string? Renamed(string key, string prefix, string row, List<int> rows)
    {
        var end = key.IndexOf(']', StringComparison.Ordinal);
        return key.StartsWith(prefix, StringComparison.Ordinal) && end > prefix.Length
            && int.TryParse(key[prefix.Length..end], System.Globalization.CultureInfo.InvariantCulture, out var sent) && sent < rows.Count
            ? row + rows[sent] + key[(end + 1)..]
            : null;
    }

    private void Show(ExperimentView e)
    {
        (Name, Target, Stickiness, Description, Revision) = (e.Name, e.Target, e.Stickiness, e.Description, e.Revision);
        (StartsAt, EndsAt, Alpha) = (FormInput.ShowMoment(e.StartsAt), FormInput.ShowMoment(e.EndsAt), FormInput.Show((double?)e.Alpha));
        var rows = Math.Clamp(e.Variants.Count + 1, MinVariantRows, ExperimentValidator.MaxVariants);
        string?[] Column(Func<ExperimentVariantView, string?> value) => [.. Enumerable.Range(0, rows).Select(i => i < e.Variants.Count ? value(e.Variants[i]) : null)];
        VariantNames = Column(v => v.Name);
        VariantModels = Column(v => v.ModelId?.ToString());
        VariantWeights = Column(v => FormInput.Show(v.Weight));
        VariantTemperatures = Column(v => FormInput.Show(v.Parameters?.Temperature));
        VariantTopPs = Column(v => FormInput.Show(v.Parameters?.TopP));
        VariantMaxTokens = Column(v => FormInput.Show(v.Parameters?.MaxTokens));
        VariantShadows = [.. e.Variants.Select((v, i) => (v, i)).Where(p => p.v.Shadow).Select(p => p.i)];
        var guardrailRows = Math.Clamp(e.Guardrails.Count + 1, MinGuardrailRows, GuardrailMetrics.All.Count);
        string?[] Guardrail(Func<ExperimentGuardrail, string?> value) => [.. Enumerable.Range(0, guardrailRows).Select(i => i < e.Guardrails.Count ? value(e.Guardrails[i]) : null)];
        GuardrailMetricNames = Guardrail(g => g.Metric);
        GuardrailIncreases = Guardrail(g => g.MaxIncrease is { } m ? FormInput.Show((double?)Math.Round(m * 100, 6)) : null);
        GuardrailRatios = Guardrail(g => FormInput.Show(g.MaxRatio));
    }

    private async Task<bool> LoadAsync()
    {
        Existing = Guid.TryParse(Id, out _) ? (await store.GetAsync(Id, HttpContext.RequestAborted)).Value : null;
        return Existing is not null;
    }
}
