using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>/api/v1/usage</c>: what was spent on which model, and how it performed — grouped by model, provider, purpose,
/// key, variant, operation, source, day or hour, over a time range.
/// </summary>
internal static class UsageApi
{
    public const int MaxRangeDays = 400;
    private static readonly Dictionary<string, UsageDimension> Dimensions = Enum.GetValues<UsageDimension>()
        .ToDictionary(d => d.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", GetAsync).WithTags("Usage").WithName("GetUsage")
            .WithSummary("Requests, errors, tokens, cost (USD), latency and time-to-first-token percentiles, tokens/s. Query: from, to (ISO 8601; default the last 7 days), group_by (comma-separated: model, provider, purpose, key, variant, operation, source, day, hour), and filters model_id, provider_id, key_id, purpose.")
            .Produces<UsageReport>().ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext context, UsageQuery usage, CurrentCatalog catalog, TimeProvider time)
    {
        var query = new QueryReader(context.Request.Query);
        var now = time.GetUtcNow();
        var to = query.Time("to") ?? now;
        if (to.Year < 2000 || to.Year > 9000)
        {
            return Invalid("to", $"to must be between the years 2000 and 9000; got {to:u}");
        }

        var from = query.Time("from") ?? to.AddDays(-7);
        var groupBy = new List<UsageDimension>();
        foreach (var name in (query.Text("group_by", 200) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Dimensions.TryGetValue(name, out var dimension))
            {
                return Invalid("group_by", $"group_by takes {string.Join(", ", Dimensions.Keys)}, comma-separated; '{name}' is not one of them");
            }

            if (!groupBy.Contains(dimension))
            {
                groupBy.Add(dimension);
            }
        }

        var request = new UsageRequest(from, to, groupBy)
        {
            ModelId = query.Id("model_id"),
            ProviderId = query.Id("provider_id"),
            KeyId = query.Id("key_id"),
            Purpose = query.Text("purpose", 200),
        };
        if (query.HasErrors)
        {
            return query.Error;
        }

        if (from >= to)
        {
            return Invalid("from", $"from ({from:u}) must be before to ({to:u})");
        }

        if (to - from > TimeSpan.FromDays(MaxRangeDays))
        {
            return Invalid("from", $"the range may span at most {MaxRangeDays} days; ask for several ranges");
        }

        var (groups, error) = await usage.RunAsync(request, context.RequestAborted);
        if (error is not null)
        {
            return Invalid("group_by", error);
        }

        var keyNames = catalog.State.Snapshot.VirtualKeys.Values.ToDictionary(k => k.Id.ToString(), k => k.Name);
        var total = new UsageTotals();
        var rows = new List<Dictionary<string, object?>>();
        foreach (var group in groups!.OrderBy(g => g.Keys.GetValueOrDefault("day") ?? g.Keys.GetValueOrDefault("hour"), StringComparer.Ordinal).ThenByDescending(g => g.Totals.CostPicos).ThenByDescending(g => g.Totals.Requests))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, value) in group.Keys)
            {
                row[name] = value;
            }

            if (group.Keys.TryGetValue("key_id", out var keyId))
            {
                row["key"] = keyId is not null && keyNames.TryGetValue(keyId, out var keyName) ? keyName : null;
            }

            Describe(row, group.Totals);
            rows.Add(row);
            total.Merge(group.Totals);
        }

        var totals = new Dictionary<string, object?>(StringComparer.Ordinal);
        Describe(totals, total);
        return TypedResults.Ok(new UsageReport(from, to, [.. groupBy.Select(d => d.ToString().ToLowerInvariant())], rows, totals));
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
        row["latency_ms"] = new { p50 = Round(t.Latency.Percentile(0.5)), p95 = Round(t.Latency.Percentile(0.95)), p99 = Round(t.Latency.Percentile(0.99)) };
        row["ttft_ms"] = new { p50 = Round(t.TimeToFirstToken.Percentile(0.5)), p95 = Round(t.TimeToFirstToken.Percentile(0.95)) };
        row["tokens_per_second"] = Round(t.TokensPerSecond);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The query is not valid");
}

/// <summary>The answer of <c>GET /api/v1/usage</c>: one row per group, and the totals of all of them.</summary>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> GroupBy, IReadOnlyList<Dictionary<string, object?>> Groups, Dictionary<string, object?> Totals);
