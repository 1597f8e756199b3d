using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Experiments.Statistics;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Experiments;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>GET /api/v1/experiments/{experiment}/results</c>: each variant's calls, errors, latency, time to first token, cost,
/// tokens and feedback from usage, the comparisons with the control (anytime-valid intervals: looking often is safe), the
/// split's sample ratio check, the guardrails' state, and hourly figures for charts.
/// </summary>
internal static class ExperimentResultsApi
{
    public sealed record Results(
        Guid Id, string Name, string Target, string Phase, string? StopReason, double Alpha, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset RawSince,
        IReadOnlyList<VariantResult> Variants, IReadOnlyList<ComparisonResult> Comparisons, SampleRatio? SampleRatio, IReadOnlyList<GuardrailState> Guardrails,
        IReadOnlyList<string> Problems);

    public sealed record VariantResult(
        string Name, bool Control, bool Shadow, int Weight, string? Model, long Calls, long Errors, double? ErrorRate, double? LatencyMeanMs, double? LatencyP50Ms,
        double? LatencyP95Ms, double? TtftP50Ms, double? TtftP95Ms, double? CostPerCallUsd, decimal CostUsd, long InputTokens, long OutputTokens,
        IReadOnlyDictionary<string, FeedbackResult> Feedback, IReadOnlyList<VariantHour> Hours);

    public sealed record FeedbackResult(long Count, double Mean);

    public sealed record ComparisonResult(string Variant, string Metric, double? Control, double? Value, double? Difference, double? Lower, double? Upper, double PValue, string Decision);

    public sealed record SampleRatio(bool Mismatch, double PValue, IReadOnlyList<double> ExpectedShares, IReadOnlyList<long> Observed);

    public sealed record GuardrailState(string Metric, double? MaxIncrease, double? MaxRatio, string Variant, string Verdict, double? Lower, double? Upper, string Summary);

    public static RouteGroupBuilder MapExperimentResultsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/experiments/{experiment}/results", GetAsync).WithTags("Experiments").WithName("GetExperimentResults")
            .WithSummary("Per-variant results from usage and feedback, comparisons with the control (anytime-valid confidence intervals), the sample "
                + "ratio check and the guardrails' state. Query: from, to (ISO 8601; default the experiment's whole life).")
            .Produces<Results>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> GetAsync(string experiment, HttpContext context, CurrentCatalog catalog, ExperimentResultsQuery query, TimeProvider time)
    {
        var reader = new QueryReader(context.Request.Query);
        var from = reader.Time("from");
        var to = reader.Time("to");
        if (reader.HasErrors)
        {
            return reader.Error;
        }

        if (from >= to)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [$"from ({from:u}) must be before to ({to:u})"] });
        }

        var snapshot = catalog.State.Snapshot;
        var found = Guid.TryParse(experiment, out var id) && snapshot.Experiments.TryGetValue(id, out var byId) ? byId
            : snapshot.Experiments.Values.FirstOrDefault(e => e.Name == experiment);
        if (found is null || await query.RunAsync(found.Id, from ?? found.StartsAt, to, context.RequestAborted) is not { } usage)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"no experiment '{(experiment.Length > 80 ? experiment[..80] + "..." : experiment)}' (its id or name)");
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
        return TypedResults.Ok(new Results(found.Id, found.Name, found.Target, found.Phase(time.GetUtcNow()), found.StopReason, found.Alpha, usage.From, usage.To, usage.RawSince,
            variants, [.. report.Comparisons.Select(Comparison)], ratio, [.. report.Guardrails.Select(Guardrail)], problems));
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
