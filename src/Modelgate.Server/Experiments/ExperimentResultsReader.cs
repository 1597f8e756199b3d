using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Experiments.Statistics;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Experiments;

namespace Modelgate.Server.Experiments;

/// <summary>
/// Builds <see cref="ExperimentResults"/> from the experiment in the catalog snapshot this instance runs and its usage
/// (<see cref="ExperimentResultsQuery"/>), analysed by <see cref="ExperimentAnalysis"/>: the one mapping the admin API's
/// results and the console's experiment page share.
/// </summary>
public sealed class ExperimentResultsReader(CurrentCatalog catalog, ExperimentResultsQuery query, TimeProvider time)
{
    /// <summary>The results over [<paramref name="from"/> (default: its start), <paramref name="to"/>); null when no experiment has that id or name.</summary>
    public async Task<ExperimentResults?> ReadAsync(string reference, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var snapshot = catalog.State.Snapshot;
        var found = Guid.TryParse(reference, out var id) && snapshot.Experiments.TryGetValue(id, out var byId) ? byId
            : snapshot.Experiments.Values.FirstOrDefault(e => e.Name == reference);
        if (found is null || await query.RunAsync(found.Id, from ?? found.StartsAt, to, cancellationToken) is not { } usage)
        {
            return null;
        }

        var byName = usage.Variants.ToDictionary(v => v.Variant, StringComparer.Ordinal);
        var report = ExperimentAnalysis.Analyze(found, [.. usage.Variants.Select(v => v.ToObservations())]);
        var variants = found.Variants.Select((v, i) => Variant(snapshot, v, i == 0, report.Variants[i], byName.GetValueOrDefault(v.Name))).ToList();
        var split = found.Variants.Where(v => !v.Shadow).ToList();
        var ratio = report.SampleRatio is { } srm
            ? new SampleRatio(srm.Mismatch, srm.PValue, [.. split.Select(v => (double)v.Weight / split.Sum(s => s.Weight))], [.. split.Select(v => byName.GetValueOrDefault(v.Name)?.Calls ?? 0)])
            : null;
        // Variants that cannot serve now (their share goes to the others), as this instance's catalog resolves them.
        var problems = catalog.State.Resolutions.TryExperiment(found.Target, out var route) && route.Experiment.Id == found.Id ? route.Problems : [];
        return new ExperimentResults(found.Id, found.Name, found.Target, found.Phase(time.GetUtcNow()), found.StopReason, found.Alpha, usage.From, usage.To, usage.RawSince,
            variants, [.. report.Comparisons.Select(Comparison)], ratio, [.. report.Guardrails.Select(Guardrail)], problems);
    }

    private static VariantResult Variant(CatalogSnapshot snapshot, ExperimentVariant variant, bool control, VariantObservations observed, VariantUsage? usage) => new(
        variant.Name, control, variant.Shadow, variant.Weight,
        variant.ModelId is { } id && snapshot.Models.TryGetValue(id, out var model) ? model.ModelId : null,
        observed.Calls, observed.Errors, observed.Calls == 0 ? null : (double)observed.Errors / observed.Calls,
        observed.Latency.Count == 0 ? null : observed.Latency.Mean, observed.LatencyHistogram.Percentile(0.5), observed.LatencyHistogram.Percentile(0.95),
        observed.TimeToFirstTokenHistogram.Percentile(0.5), observed.TimeToFirstTokenHistogram.Percentile(0.95),
        observed.Cost.Count == 0 ? null : observed.Cost.Mean, usage?.CostUsd ?? 0, observed.InputTokens, observed.OutputTokens,
        observed.Feedback.ToDictionary(f => f.Key, f => new FeedbackResult(f.Value.Count, f.Value.Mean), StringComparer.Ordinal),
        usage?.Hours ?? []);

    private static ComparisonResult Comparison(VariantComparison c) => new(
        c.Variant, c.Metric, c.Control, c.Value, Finite(c.Comparison.Estimate), Finite(c.Comparison.Lower), Finite(c.Comparison.Upper), c.Comparison.PValue,
        Decision(c.Comparison.Decision));

    private static GuardrailState Guardrail(GuardrailCheck g) => new(
        g.Guardrail.Metric, g.Guardrail.MaxIncrease, g.Guardrail.MaxRatio, g.Variant, Verdict(g.Verdict), Finite(g.Comparison.Lower), Finite(g.Comparison.Upper), g.Summary);

    private static string Decision(ComparisonDecision decision) => decision switch
    {
        ComparisonDecision.NotEnoughData => "not_enough_data",
        ComparisonDecision.TreatmentHigher => "higher",
        ComparisonDecision.TreatmentLower => "lower",
        _ => "inconclusive",
    };

    private static string Verdict(GuardrailVerdict verdict) => verdict switch
    {
        GuardrailVerdict.NotEnoughData => "not_enough_data",
        GuardrailVerdict.Holds => "holds",
        GuardrailVerdict.Breached => "crossed",
        _ => "inconclusive",
    };

    // JSON has no infinities: an interval not yet bounded is null.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
