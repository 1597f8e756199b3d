using Modelgate.Storage.Experiments;

namespace Modelgate.Server.Experiments;

/// <summary>One variant's calls, errors, latency, time to first token, cost, tokens and feedback, with its hours for charts.</summary>
public sealed record VariantResult(
    string Name, bool Control, bool Shadow, int Weight, string? Model, long Calls, long Errors, double? ErrorRate, double? LatencyMeanMs, double? LatencyP50Ms,
    double? LatencyP95Ms, double? TtftP50Ms, double? TtftP95Ms, double? CostPerCallUsd, decimal CostUsd, long InputTokens, long OutputTokens,
    IReadOnlyDictionary<string, FeedbackResult> Feedback, IReadOnlyList<VariantHour> Hours);
