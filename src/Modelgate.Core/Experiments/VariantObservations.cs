using Modelgate.Core.Experiments.Statistics;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Experiments;

/// <summary>
/// What one variant of an experiment has seen so far, from its usage records and feedback: calls and failures, latency
/// and time to first token (summaries and histograms), cost per call, tokens, and each feedback metric.
/// </summary>
public sealed record VariantObservations(string Variant)
{
    public long Calls { get; init; }

    public long Errors { get; init; }

    public SampleSummary Latency { get; init; }

    public LatencyHistogram LatencyHistogram { get; init; } = new();

    /// <summary>Streamed calls only.</summary>
    public SampleSummary TimeToFirstToken { get; init; }

    public LatencyHistogram TimeToFirstTokenHistogram { get; init; } = new();

    /// <summary>USD per call, over the calls with a known cost.</summary>
    public SampleSummary Cost { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>Feedback by metric name (a boolean counts as 1 or 0).</summary>
    public IReadOnlyDictionary<string, SampleSummary> Feedback { get; init; } = new Dictionary<string, SampleSummary>();

    /// <summary>A summary from a count, a sum and a sum of squares, as a store keeps them.</summary>
    public static SampleSummary FromSums(long count, double sum, double sumOfSquares)
    {
        if (count <= 0)
        {
            return default;
        }

        var mean = sum / count;
        var variance = count < 2 ? 0 : Math.Max(0, (sumOfSquares - count * mean * mean) / (count - 1));
        return new SampleSummary(count, mean, variance);
    }
}
