using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate usage [--from --to --group-by --team --csv]</c>: requests, tokens and cost as a summary table, or the
/// range as CSV rows for finance (the server's <c>/usage/export</c>, by day, key, team, model and purpose unless
/// <c>--group-by</c> says otherwise).
/// </summary>
public static class UsageCommand
{
    private static readonly Column[] Measures =
    [
        Column.Field("REQUESTS", "requests"), Column.Field("ERRORS", "errors"), Column.Field("INPUT TOKENS", "input_tokens"),
        Column.Field("OUTPUT TOKENS", "output_tokens"), Column.Field("COST USD", "cost_usd"), Column.Field("UNPRICED", "unpriced_requests"),
        Column.Field("P50 MS", "latency_ms.p50"), Column.Field("P95 MS", "latency_ms.p95"),
    ];

    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var from = new Option<string?>("--from") { Description = "Start (ISO 8601; default 7 days ago)" };
        var to = new Option<string?>("--to") { Description = "End (ISO 8601; default now)" };
        var groupBy = new Option<string?>("--group-by")
        {
            Description = "Comma-separated: model, provider, purpose, key, team, variant, operation, source, status, day, hour",
        };
        var team = new Option<string?>("--team") { Description = "Only calls made with keys of this team" };
        var csv = new Option<bool>("--csv") { Description = "Print the range as CSV rows (by day, key, team, model and purpose unless --group-by is given)" };
        var command = new Command("usage", "What was spent and how it went") { from, to, groupBy, team, csv };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var query = new List<string>();
            AddIfSet(query, "from", parsed.GetValue(from));
            AddIfSet(query, "to", parsed.GetValue(to));
            AddIfSet(query, "group_by", parsed.GetValue(groupBy));
            AddIfSet(query, "team", parsed.GetValue(team));
            if (parsed.GetValue(csv))
            {
                query.Add("format=csv");
                await cli.Out.WriteAsync(await admin.GetTextAsync("usage/export?" + string.Join('&', query), ct));
                return ExitCodes.Success;
            }

            var usage = await admin.GetAsync("usage" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            await cli.Output(parsed).WriteAsync(usage, () => Tables.Of(Rows(usage), Columns(usage)));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<JsonElement> Rows(JsonElement usage)
    {
        var rows = usage.TryGetProperty("groups", out var groups) && groups.ValueKind == JsonValueKind.Array ? groups.EnumerateArray().ToList() : [];
        if (usage.TryGetProperty("totals", out var totals) && totals.ValueKind == JsonValueKind.Object && rows.Count != 1)
        {
            rows.Add(totals);
        }

        return rows;
    }

    private static List<Column> Columns(JsonElement usage)
    {
        var keys = usage.TryGetProperty("group_by", out var groupBy) && groupBy.ValueKind == JsonValueKind.Array
            ? groupBy.EnumerateArray().Select(g => g.GetString() ?? "").ToList()
            : [];
        // A group's key is shown by name (model, provider, key) rather than by id where the API gives both.
        var columns = keys.Select(k => Column.Field(k.ToUpperInvariant(), k)).ToList();
        columns.AddRange(Measures);
        return columns;
    }

    private static void AddIfSet(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
