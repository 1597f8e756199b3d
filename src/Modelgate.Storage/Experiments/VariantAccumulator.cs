using Modelgate.Core.Usage;
using Modelgate.Storage.Usage;

namespace Modelgate.Storage.Experiments;

/// <summary>Folds one variant's raw usage rows, one at a time, into what <see cref="VariantUsage"/> reports.</summary>
internal sealed class VariantAccumulator(string variant)
{
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _ttft = new();
    private readonly SortedDictionary<long, Hour> _hours = [];
    private long _calls, _errors, _latencyCalls, _latencySum, _ttftCalls, _ttftSum, _costCalls, _input, _output;
    private double _latencySquares, _ttftSquares, _costSquares;
    private decimal _costPicos;

    public string Name => variant;

    public void Add(RawUsage row)
    {
        _calls++;
        _errors += row.Failed ? 1 : 0;
        // Latency and time to first token of answered calls only: a variant that fails fast must not look fast (its
        // failures are its error rate).
        if (!row.Failed)
        {
            _latencyCalls++;
            _latencySum += row.LatencyMs;
            _latencySquares += (double)row.LatencyMs * row.LatencyMs;
            _latency.Add(row.LatencyMs);
        }

        if (row.TtftMs is { } ttft && !row.Failed)
        {
            _ttftCalls++;
            _ttftSum += ttft;
            _ttftSquares += (double)ttft * ttft;
            _ttft.Add(ttft);
        }

        if (row.CostPicos is { } picos)
        {
            _costCalls++;
            _costPicos += picos;
            var usd = (double)Cost.FromPicos(picos);
            _costSquares += usd * usd;
        }

        _input += row.InputTokens;
        _output += row.OutputTokens;
        var hourKey = row.AtMs / 3_600_000;
        if (!_hours.TryGetValue(hourKey, out var hour))
        {
            _hours[hourKey] = hour = new Hour();
        }

        hour.Calls++;
        hour.Errors += row.Failed ? 1 : 0;
        if (!row.Failed)
        {
            hour.Latency.Add(row.LatencyMs);
        }
        hour.CostPicos += row.CostPicos ?? 0;
    }

    public VariantUsage ToUsage(IReadOnlyDictionary<string, FeedbackTotals> feedback) => new(
        variant, _calls, _errors, _latencyCalls, _latencySum, _latencySquares, _latency, _ttftCalls, _ttftSum, _ttftSquares, _ttft,
        _costCalls, Cost.FromPicos(_costPicos), _costSquares, _input, _output, feedback,
        [.. _hours.Select(h => new VariantHour(DateTimeOffset.FromUnixTimeMilliseconds(h.Key * 3_600_000), h.Value.Calls, h.Value.Errors,
            h.Value.Latency.Percentile(0.5), h.Value.Latency.Percentile(0.95), Cost.FromPicos(h.Value.CostPicos)))]);

    private sealed class Hour
    {
        public long Calls { get; set; }
        public long Errors { get; set; }
        public LatencyHistogram Latency { get; } = new();
        public decimal CostPicos { get; set; }
    }
}
