using System.Globalization;
using Modelgate.Core.Catalog;
using Modelgate.Server.Experiments;
using Modelgate.Server.Ui.Charts;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>How the console writes an experiment's phase, split, metrics, differences, intervals, decisions and guardrails.</summary>
internal static class ExperimentText
{
    public const string TargetAsConfigured = "the target as configured";

    public static string PhaseClass(string phase) => phase switch
    {
        "running" => "good",
        "scheduled" => "accent",
        "stopped" => "warn",
        _ => "",
    };

    /// <summary>e.g. "a (control) 50% · b 50% · c shadow, copies of 10%".</summary>
    public static string Split(ExperimentView e)
    {
        var total = e.Variants.Where(v => !v.Shadow).Sum(v => v.Weight);
        return string.Join(" · ", e.Variants.Select(v => v.Shadow
            ? $"{v.Name} shadow, copies of {v.Weight}%"
            : $"{v.Name}{(v.Control ? " (control)" : "")} {Format.Percent(total == 0 ? 0 : (double)v.Weight / total)}"));
    }

    public static string Model(ExperimentVariantView v) =>
        v.ModelId is null ? TargetAsConfigured : v.ModelName is { } name ? $"{name} ({v.ProviderName})" : $"a deleted model ({v.ModelId})";

    public static string Parameters(ModelParameters? p)
    {
        var parts = new[]
        {
            p?.Temperature is { } t ? $"temperature {t.ToString(CultureInfo.InvariantCulture)}" : null,
            p?.TopP is { } top ? $"top_p {top.ToString(CultureInfo.InvariantCulture)}" : null,
            p?.MaxTokens is { } max ? $"max_tokens {Format.Count(max)}" : null,
        }.OfType<string>().ToList();
        return parts.Count == 0 ? "" : string.Join(", ", parts);
    }

    public static string Confidence(double alpha) => (1 - alpha).ToString("0.#%", CultureInfo.InvariantCulture);

    public static string MetricLabel(string metric) => metric switch
    {
        GuardrailMetrics.ErrorRate => "Error rate",
        GuardrailMetrics.LatencyP95 => "p95 latency",
        GuardrailMetrics.TimeToFirstTokenP95 => "p95 time to first token",
        GuardrailMetrics.CostPerCall => "Cost per call",
        "latency_mean" => "Mean latency",
        _ when metric.StartsWith("feedback:", StringComparison.Ordinal) => $"Feedback: {metric["feedback:".Length..]}",
        _ => metric,
    };

    /// <summary>A metric's value as the comparison table shows it (a rate as a percentage, latency in ms, cost in USD).</summary>
    public static string Value(string metric, double? value) => value switch
    {
        null => "—",
        { } v when metric == GuardrailMetrics.ErrorRate => Format.Percent(v),
        { } v when metric == "latency_mean" => Format.Ms(v),
        { } v when metric == GuardrailMetrics.CostPerCall => Format.Usd((decimal)v),
        { } v => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    /// <summary>A difference with its sign: "+1.2 points", "−35 ms", "+$0.0004", "+0.12".</summary>
    public static string Difference(string metric, double value)
    {
        var sign = value < 0 ? "−" : "+";
        var size = Math.Abs(value);
        return metric switch
        {
            GuardrailMetrics.ErrorRate => $"{sign}{(size * 100).ToString("0.0#", CultureInfo.InvariantCulture)} points",
            "latency_mean" => sign + Format.Ms(size),
            GuardrailMetrics.CostPerCall => sign + Format.Usd((decimal)size),
            _ => sign + size.ToString("0.###", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>"+1.2 points (95% interval −0.3 to +2.7)"; an end not bounded yet is "unbounded".</summary>
    public static string Interval(ComparisonResult c, double alpha)
    {
        if (c.Difference is not { } difference)
        {
            return "not enough data yet";
        }

        string End(double? bound) => bound is { } b ? Difference(c.Metric, b) : "unbounded";
        return $"{Difference(c.Metric, difference)} ({Confidence(alpha)} interval {End(c.Lower)} to {End(c.Upper)})";
    }

    public static string Decision(string decision) => decision switch
    {
        "higher" => "higher than control",
        "lower" => "lower than control",
        "not_enough_data" => "not enough data",
        _ => "inconclusive",
    };

    /// <summary>Whether a decided difference is good news: less is better for errors, latency and cost; more for feedback.</summary>
    public static string Tone(ComparisonResult c) => c.Decision switch
    {
        "higher" => c.Metric.StartsWith("feedback:", StringComparison.Ordinal) ? "good" : "bad",
        "lower" => c.Metric.StartsWith("feedback:", StringComparison.Ordinal) ? "bad" : "good",
        "not_enough_data" => "none",
        _ => "neutral",
    };

    public static IntervalBar Bar(ComparisonResult c, double alpha) => new(c.Difference, c.Lower, c.Upper, Tone(c), Interval(c, alpha));

    public static string Verdict(string verdict) => verdict switch
    {
        "holds" => "holds",
        "crossed" => "crossed",
        "not_enough_data" => "not enough data",
        _ => "inconclusive",
    };

    public static string VerdictClass(string verdict) => verdict switch
    {
        "holds" => "good",
        "crossed" => "bad",
        "inconclusive" => "warn",
        _ => "",
    };

    /// <summary>"at most +2 points over control" or "at most 1.5 × control".</summary>
    public static string Limit(ExperimentGuardrail g) => GuardrailMetrics.IsRate(g.Metric)
        ? $"at most +{((g.MaxIncrease ?? 0) * 100).ToString("0.##", CultureInfo.InvariantCulture)} points over control"
        : $"at most {(g.MaxRatio ?? 1).ToString("0.##", CultureInfo.InvariantCulture)} × control";

    public static string Limit(GuardrailState g) => Limit(new ExperimentGuardrail(g.Metric, g.MaxIncrease, g.MaxRatio));

    public static string Moment(DateTime? at, string none) => at is { } t ? Format.When(t) : none;
}
