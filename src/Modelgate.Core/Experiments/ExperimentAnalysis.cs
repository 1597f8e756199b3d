using System.Globalization;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments.Statistics;

namespace Modelgate.Core.Experiments;

/// <summary>
/// Compares an experiment's variants with its control, with the anytime-valid tests of <see cref="Statistics"/> (so the
/// results may be looked at as often as anyone likes): error rate, mean latency, cost per call and every feedback metric;
/// checks that the split came out as configured (<see cref="SampleRatioCheck"/>); and evaluates the guardrails.
/// </summary>
/// <remarks>
/// Rates use the Agresti–Caffo adjustment (one success and one failure added to each arm), so an arm without any
/// failure still has a variance and a variant failing every call against a control that never fails is decided.
/// A percentile guardrail compares tail shares (<see cref="TailGuardrail"/>) at the control's own p95 as observed so far:
/// the threshold comes from the compared data, so its guarantee is approximate (close for the thousands of calls a tail
/// needs anyway). Calls are taken as independent: many calls of one session in one arm make the intervals a little
/// narrower than they should be.
/// </remarks>
public static class ExperimentAnalysis
{
    public const string ErrorRate = GuardrailMetrics.ErrorRate;
    public const string LatencyMean = "latency_mean";
    public const string CostPerCall = GuardrailMetrics.CostPerCall;

    /// <summary>The report for <paramref name="experiment"/> from its variants' observations (missing variants have none).</summary>
    public static ExperimentReport Analyze(Experiment experiment, IReadOnlyList<VariantObservations> observed)
    {
        var options = SequentialTestOptions.Default with { Alpha = experiment.Alpha };
        // Any guardrail of any split variant stops the experiment: the chance of a false stop is held at alpha overall by
        // giving each of those tests its share of it (Bonferroni).
        var guardrailTests = experiment.Guardrails.Count * Math.Max(1, experiment.Variants.Skip(1).Count(v => !v.Shadow));
        var guardrailOptions = options with { Alpha = experiment.Alpha / Math.Max(1, guardrailTests) };
        var byName = observed.ToDictionary(o => o.Variant, StringComparer.Ordinal);
        var variants = experiment.Variants.Select(v => byName.GetValueOrDefault(v.Name) ?? new VariantObservations(v.Name)).ToList();
        var control = variants[0];
        var comparisons = new List<VariantComparison>();
        var guardrails = new List<GuardrailCheck>();
        for (var i = 1; i < variants.Count; i++)
        {
            var variant = variants[i];
            comparisons.Add(Compare(variant.Variant, ErrorRate, Rate(control), Rate(variant), options, ErrorShare(control), ErrorShare(variant)));
            comparisons.Add(Compare(variant.Variant, LatencyMean, control.Latency, variant.Latency, options));
            comparisons.Add(Compare(variant.Variant, CostPerCall, control.Cost, variant.Cost, options));
            foreach (var metric in control.Feedback.Keys.Union(variant.Feedback.Keys).Order(StringComparer.Ordinal))
            {
                comparisons.Add(Compare(variant.Variant, "feedback:" + metric, control.Feedback.GetValueOrDefault(metric), variant.Feedback.GetValueOrDefault(metric), options));
            }

            // A shadow variant answers no caller: its results are compared, but it cannot stop the experiment.
            if (!experiment.Variants[i].Shadow)
            {
                guardrails.AddRange(experiment.Guardrails.Select(g => Check(g, control, variant, guardrailOptions)));
            }
        }

        return new ExperimentReport(variants, comparisons, SplitCheck(experiment, variants), guardrails);
    }

    private static VariantComparison Compare(string variant, string metric, SampleSummary control, SampleSummary treatment, SequentialTestOptions options,
        double? controlValue = null, double? treatmentValue = null) =>
        new(variant, metric, controlValue ?? (control.Count > 0 ? control.Mean : null), treatmentValue ?? (treatment.Count > 0 ? treatment.Mean : null),
            MeanComparison.Compare(control, treatment, 1, options));

    // The split variants' calls against their weights (shadows receive copies, not a share).
    private static SampleRatioResult? SplitCheck(Experiment experiment, IReadOnlyList<VariantObservations> variants)
    {
        var split = experiment.Variants.Select((v, i) => (v, i)).Where(p => !p.v.Shadow).ToList();
        if (split.Count < 2 || split.Sum(p => p.v.Weight) <= 0)
        {
            return null;
        }

        return SampleRatioCheck.Check([.. split.Select(p => variants[p.i].Calls)], [.. split.Select(p => (double)p.v.Weight)], experiment.Alpha);
    }

    private static GuardrailCheck Check(ExperimentGuardrail guardrail, VariantObservations control, VariantObservations variant, SequentialTestOptions options)
    {
        var percent = (1 - options.Alpha).ToString("P1", CultureInfo.InvariantCulture).Replace(".0 %", " %", StringComparison.Ordinal);
        switch (guardrail.Metric)
        {
            case GuardrailMetrics.ErrorRate:
            {
                var margin = guardrail.MaxIncrease ?? 0;
                var result = Guardrail.NotAbove(1, margin).Evaluate(Rate(control), Rate(variant), options);
                return new GuardrailCheck(guardrail, variant.Variant, result.Verdict, result.Comparison,
                    $"error rate of '{variant.Variant}' {Share(ErrorShare(variant))} vs control {Share(ErrorShare(control))}: "
                    + $"{Points(result.Comparison.Estimate)} ({percent} interval {Points(result.Comparison.Lower)} to {Points(result.Comparison.Upper)}), limit +{(margin * 100).ToString("0.##", CultureInfo.InvariantCulture)} points");
            }

            case GuardrailMetrics.CostPerCall:
            {
                var ratio = guardrail.MaxRatio ?? 1;
                var result = Guardrail.NotAbove(ratio).Evaluate(control.Cost, variant.Cost, options);
                return new GuardrailCheck(guardrail, variant.Variant, result.Verdict, result.Comparison,
                    $"cost per call of '{variant.Variant}' {Usd(variant.Cost)} vs control {Usd(control.Cost)}, limit {Ratio(ratio)} × control");
            }

            default:
            {
                var ttft = guardrail.Metric == GuardrailMetrics.TimeToFirstTokenP95;
                var (a, b) = ttft ? (control.TimeToFirstTokenHistogram, variant.TimeToFirstTokenHistogram) : (control.LatencyHistogram, variant.LatencyHistogram);
                var ratio = guardrail.MaxRatio ?? 1;
                var name = ttft ? "p95 time to first token" : "p95 latency";
                if (a.Percentile(0.95) is not { } threshold)
                {
                    var none = TailGuardrail.Evaluate(default, default, options);
                    return new GuardrailCheck(guardrail, variant.Variant, none.Verdict, none.Comparison, $"{name}: no control calls yet");
                }

                // The share of the variant's calls above ratio × control's p95 against the share of control's above it (5 %).
                var result = TailGuardrail.Evaluate(
                    SampleSummary.Bernoulli(a.CountAbove(threshold), a.Count), SampleSummary.Bernoulli(b.CountAbove(ratio * threshold), b.Count), options);
                return new GuardrailCheck(guardrail, variant.Variant, result.Verdict, result.Comparison,
                    $"{name} of '{variant.Variant}' {Ms(b.Percentile(0.95))} vs control {Ms(threshold)}, limit {Ratio(ratio)} × control");
            }
        }
    }

    // A rate with one success and one failure added to each arm (Agresti–Caffo).
    private static SampleSummary Rate(VariantObservations o) => o.Calls == 0 ? default : SampleSummary.Bernoulli(o.Errors + 1, o.Calls + 2);

    private static double? ErrorShare(VariantObservations o) => o.Calls == 0 ? null : (double)o.Errors / o.Calls;

    private static string Share(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "(no calls)";

    private static string Points(double difference) => double.IsFinite(difference)
        ? (difference >= 0 ? "+" : "") + (difference * 100).ToString("0.#", CultureInfo.InvariantCulture) + " points"
        : "unknown";

    private static string Usd(SampleSummary cost) => cost.Count == 0 ? "(unknown)" : "$" + cost.Mean.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "(no calls)";
}
