namespace Modelgate.Core.Usage;

/// <summary>
/// Sums of many calls — counts, tokens, cost in picodollars (exact), latency and time-to-first-token histograms —
/// built from single calls or merged from stored rollups, the same way either way.
/// </summary>
public sealed class UsageTotals
{
    public long Requests { get; private set; }
    public long Errors { get; private set; }
    public long Streamed { get; private set; }
    public long Estimated { get; private set; }

    /// <summary>Calls whose cost is unknown because the model had no price for tokens they used (not counted as free).</summary>
    public long Unpriced { get; private set; }
    public long InputTokens { get; private set; }
    public long OutputTokens { get; private set; }
    public long CachedInputTokens { get; private set; }
    /// <summary>Summed as a decimal: no total of whole picodollars can overflow, however many calls it covers.</summary>
    public decimal CostPicos { get; private set; }
    public long LatencyMsSum { get; private set; }
    public LatencyHistogram Latency { get; } = new();
    public LatencyHistogram TimeToFirstToken { get; } = new();

    public decimal CostUsd => Cost.FromPicos(CostPicos);

    /// <summary>Output tokens per second of request time, over all calls.</summary>
    public double? TokensPerSecond => LatencyMsSum > 0 ? OutputTokens / (LatencyMsSum / 1000.0) : null;

    public void Add(long input, long output, long cached, long? costPicos, int latencyMs, int? ttftMs, bool error, bool streamed, bool estimated)
    {
        Requests++;
        Errors += error ? 1 : 0;
        Streamed += streamed ? 1 : 0;
        Estimated += estimated ? 1 : 0;
        InputTokens += input;
        OutputTokens += output;
        CachedInputTokens += cached;
        if (costPicos is { } cost)
        {
            CostPicos += cost;
        }
        else
        {
            Unpriced++;
        }

        LatencyMsSum += latencyMs;
        Latency.Add(latencyMs);
        if (ttftMs is { } ttft)
        {
            TimeToFirstToken.Add(ttft);
        }
    }

    /// <summary>Adds totals kept elsewhere (a stored rollup).</summary>
    public void Merge(long requests, long errors, long streamed, long estimated, long unpriced, long input, long output, long cached, decimal costPicos, long latencyMsSum, LatencyHistogram latency, LatencyHistogram ttft)
    {
        Requests += requests;
        Errors += errors;
        Streamed += streamed;
        Estimated += estimated;
        Unpriced += unpriced;
        InputTokens += input;
        OutputTokens += output;
        CachedInputTokens += cached;
        CostPicos += costPicos;
        LatencyMsSum += latencyMsSum;
        Latency.Merge(latency);
        TimeToFirstToken.Merge(ttft);
    }

    /// <summary>Adds a stored rollup row, its histograms as <see cref="LatencyHistogram.Encode"/> wrote them.</summary>
    public void Merge(long requests, long errors, long streamed, long estimated, long unpriced, long input, long output, long cached, decimal costPicos, long latencyMsSum,
        ReadOnlySpan<byte> latency, ReadOnlySpan<byte> ttft)
    {
        Merge(requests, errors, streamed, estimated, unpriced, input, output, cached, costPicos, latencyMsSum, Empty, Empty);
        Latency.MergeEncoded(latency);
        TimeToFirstToken.MergeEncoded(ttft);
    }

    private static readonly LatencyHistogram Empty = new();

    public void Merge(UsageTotals other) =>
        Merge(other.Requests, other.Errors, other.Streamed, other.Estimated, other.Unpriced, other.InputTokens, other.OutputTokens, other.CachedInputTokens,
            other.CostPicos, other.LatencyMsSum, other.Latency, other.TimeToFirstToken);
}
