using System.Globalization;
using System.Text;

namespace Modelgate.Server.Api;

/// <summary>
/// A usage report as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read names right, a header line): the groups' keys, then their measures, percentiles as
/// columns of their own. Text a spreadsheet would run as a formula (starting with =, +, -, @) is prefixed with an
/// apostrophe: key names and team labels are typed by people.
/// </summary>
internal static class UsageCsv
{
    private static readonly string[] Measures =
    [
        "requests", "errors", "error_rate", "streamed", "input_tokens", "output_tokens", "cached_input_tokens", "estimated_requests", "cost_usd",
        "unpriced_requests", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "ttft_p50_ms", "ttft_p95_ms", "tokens_per_second",
    ];

    /// <summary>The file's bytes: a UTF-8 byte-order mark, then <see cref="Write"/>'s text.</summary>
    public static byte[] Bytes(UsageReport report) => [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(Write(report))];

    public static string Write(UsageReport report)
    {
        // The columns follow the grouping, not the rows: an empty range has the same header as a busy one.
        var keys = report.GroupBy.SelectMany(Fields).Distinct(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', keys.Concat(Measures)).Append("\r\n");
        foreach (var row in report.Groups)
        {
            var cells = keys.Select(k => Text(row.GetValueOrDefault(k) as string)).Concat(Measures.Select(m => Number(Measure(row, m))));
            csv.AppendJoin(',', cells).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string[] Fields(string dimension) => dimension switch
    {
        "model" => ["model_id", "model", "provider"],
        "provider" => ["provider_id", "provider"],
        "key" => ["key_id", "key"],
        _ => [dimension],
    };

    private static object? Measure(Dictionary<string, object?> row, string name) => name switch
    {
        "latency_p50_ms" => (row["latency_ms"] as LatencyPercentiles)?.P50,
        "latency_p95_ms" => (row["latency_ms"] as LatencyPercentiles)?.P95,
        "latency_p99_ms" => (row["latency_ms"] as LatencyPercentiles)?.P99,
        "ttft_p50_ms" => (row["ttft_ms"] as TtftPercentiles)?.P50,
        "ttft_p95_ms" => (row["ttft_ms"] as TtftPercentiles)?.P95,
        _ => row.GetValueOrDefault(name),
    };

    private static string Number(object? value) => value switch
    {
        null => "",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Text(value.ToString()),
    };

    private static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
