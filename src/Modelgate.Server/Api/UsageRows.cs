using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Api;

/// <summary>Usage groups as the API shows them: each group's keys (a key's name beside its id) and its measures, in a stable order.</summary>
internal static class UsageRows
{
    /// <summary>The measures of a row, in the order CSV columns follow them.</summary>
    public static readonly string[] Measures =
    [
        "requests", "errors", "error_rate", "streamed", "input_tokens", "output_tokens", "cached_input_tokens", "estimated_requests", "cost_usd",
        "unpriced_requests", "latency_ms", "ttft_ms", "tokens_per_second",
    ];

    public static UsageReport Report(UsageRequest request, IReadOnlyList<UsageGroup> groups, CurrentCatalog catalog)
    {
        var keyNames = catalog.State.Snapshot.VirtualKeys.Values.ToDictionary(k => k.Id.ToString(), k => k.Name);
        var total = new UsageTotals();
        var rows = new List<Dictionary<string, object?>>();
        foreach (var group in groups.OrderBy(g => g.Keys.GetValueOrDefault("day") ?? g.Keys.GetValueOrDefault("hour"), StringComparer.Ordinal)
            .ThenByDescending(g => g.Totals.CostPicos).ThenByDescending(g => g.Totals.Requests)
            .ThenBy(g => string.Join('\u001f', g.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Value)), StringComparer.Ordinal))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, value) in group.Keys)
            {
                row[name] = value;
                if (name == "key_id")
                {
                    // The key's name beside its id.
                    row["key"] = value is not null && keyNames.TryGetValue(value, out var keyName) ? keyName : null;
                }
            }

            Describe(row, group.Totals);
            rows.Add(row);
            total.Merge(group.Totals);
        }

        var totals = new Dictionary<string, object?>(StringComparer.Ordinal);
        Describe(totals, total);
        return new UsageReport(request.From, request.To, [.. request.GroupBy.Select(d => d.ToString().ToLowerInvariant())], rows, totals);
    }

    private static void Describe(Dictionary<string, object?> row, UsageTotals t)
    {
        row["requests"] = t.Requests;
        row["errors"] = t.Errors;
        row["error_rate"] = t.Requests == 0 ? null : Math.Round((double)t.Errors / t.Requests, 4);
        row["streamed"] = t.Streamed;
        row["input_tokens"] = t.InputTokens;
        row["output_tokens"] = t.OutputTokens;
        row["cached_input_tokens"] = t.CachedInputTokens;
        row["estimated_requests"] = t.Estimated;
        row["cost_usd"] = t.CostUsd;
        row["unpriced_requests"] = t.Unpriced;
        row["latency_ms"] = new LatencyPercentiles(Round(t.Latency.Percentile(0.5)), Round(t.Latency.Percentile(0.95)), Round(t.Latency.Percentile(0.99)));
        row["ttft_ms"] = new TtftPercentiles(Round(t.TimeToFirstToken.Percentile(0.5)), Round(t.TimeToFirstToken.Percentile(0.95)));
        row["tokens_per_second"] = Round(t.TokensPerSecond);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
