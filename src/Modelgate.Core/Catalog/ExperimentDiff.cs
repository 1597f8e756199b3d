using System.Globalization;

namespace Modelgate.Core.Catalog;

/// <summary>
/// The experiment part of <see cref="CatalogDiff"/>: each experiment's fields, its variants in one readable line
/// (<c>control: gpt-4o (id) 90; b: gpt-4o-mini (id) 10 shadow</c>). Variants are compared by model id, so renaming a
/// model is a model change only, not an experiment change.
/// </summary>
internal static class ExperimentDiff
{
    public static void Add(List<CatalogChange> changes, CatalogSnapshot before, CatalogSnapshot after)
    {
        foreach (var id in before.Experiments.Keys.Union(after.Experiments.Keys).Order())
        {
            before.Experiments.TryGetValue(id, out var b);
            after.Experiments.TryGetValue(id, out var a);
            var was = b is null ? [] : Fields(b);
            var now = a is null ? [] : Fields(a);
            var fields = was.Keys.Union(now.Keys).Where(k => !Equals(was.GetValueOrDefault(k), now.GetValueOrDefault(k)))
                .ToDictionary(k => k, k => k == "variants"
                    ? new FieldChange(b is null ? null : Variants(before, b), a is null ? null : Variants(after, a))
                    : new FieldChange(was.GetValueOrDefault(k), now.GetValueOrDefault(k)));
            if (fields.Count > 0)
            {
                changes.Add(new CatalogChange(b is null ? "added" : a is null ? "removed" : "changed", "experiment", id.ToString(), (a ?? b)!.Name, fields));
            }
        }
    }

    private static Dictionary<string, object?> Fields(Experiment e) => new()
    {
        ["name"] = e.Name, ["target"] = e.Target, ["variants"] = Variants(null, e), ["stickiness"] = e.Stickiness.ToName(),
        ["guardrails"] = e.Guardrails.Count == 0 ? null : string.Join("; ", e.Guardrails.Select(Guardrail)),
        ["starts_at"] = e.StartsAt, ["ends_at"] = e.EndsAt, ["state"] = e.State == ExperimentState.Stopped ? "stopped" : "running",
        ["stop_reason"] = e.StopReason, ["description"] = e.Description, ["alpha"] = e.Alpha,
    };

    // Compared by model id alone; shown with each model's name as the snapshot knew it.
    private static string Variants(CatalogSnapshot? snapshot, Experiment e) => string.Join("; ", e.Variants.Select(v =>
    {
        var model = v.ModelId is not { } id ? "(the target as configured)" : snapshot is null ? id.ToString() : CatalogDiff.Describe(snapshot, id);
        var parameters = v.Parameters is { } p
            ? string.Concat(
                p.Temperature is { } t ? $" temperature={t.ToString(CultureInfo.InvariantCulture)}" : "",
                p.TopP is { } top ? $" top_p={top.ToString(CultureInfo.InvariantCulture)}" : "",
                p.MaxTokens is { } max ? $" max_tokens={max.ToString(CultureInfo.InvariantCulture)}" : "")
            : "";
        return $"{v.Name}: {model} {v.Weight.ToString(CultureInfo.InvariantCulture)}{(v.Shadow ? " shadow" : "")}{parameters}";
    }));

    private static string Guardrail(ExperimentGuardrail g) =>
        g.MaxIncrease is { } increase ? $"{g.Metric} +{increase.ToString(CultureInfo.InvariantCulture)}"
        : g.MaxRatio is { } ratio ? $"{g.Metric} x{ratio.ToString(CultureInfo.InvariantCulture)}"
        : g.Metric;
}
