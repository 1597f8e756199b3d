using Modelgate.Core.Experiments;
using Modelgate.Core.Usage;

namespace Modelgate.Storage.Experiments;

/// <summary>
/// Raw aggregates of one experiment variant, for the statistics to work on: calls and errors (status ≥ 400 or an error
/// class); latency and time to first token (streams only) of the calls that did not fail, as count, sum, sum of squares and histogram; cost over the
/// calls that have one (sum and sum of squares, in USD); tokens; each feedback metric; and the same per UTC hour.
/// </summary>
public sealed record VariantUsage(
    string Variant,
    long Calls,
    long Errors,
    long LatencyCalls,
    long LatencySumMs,
    double LatencySumOfSquaresMs,
    LatencyHistogram Latency,
    long TtftCalls,
    long TtftSumMs,
    double TtftSumOfSquaresMs,
    LatencyHistogram Ttft,
    long CostCalls,
    decimal CostUsd,
    double CostSumOfSquaresUsd,
    long InputTokens,
    long OutputTokens,
    IReadOnlyDictionary<string, FeedbackTotals> Feedback,
    IReadOnlyList<VariantHour> Hours)
{
    /// <summary>The same figures as the statistics read them (<see cref="ExperimentAnalysis"/>).</summary>
    public VariantObservations ToObservations() => new(Variant)
    {
        Calls = Calls,
        Errors = Errors,
        Latency = VariantObservations.FromSums(LatencyCalls, LatencySumMs, LatencySumOfSquaresMs),
        LatencyHistogram = Latency,
        TimeToFirstToken = VariantObservations.FromSums(TtftCalls, TtftSumMs, TtftSumOfSquaresMs),
        TimeToFirstTokenHistogram = Ttft,
        Cost = VariantObservations.FromSums(CostCalls, (double)CostUsd, CostSumOfSquaresUsd),
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        Feedback = Feedback.ToDictionary(f => f.Key, f => VariantObservations.FromSums(f.Value.Count, f.Value.Sum, f.Value.SumOfSquares), StringComparer.Ordinal),
    };
}
