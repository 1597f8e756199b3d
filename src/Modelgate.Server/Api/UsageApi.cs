using Modelgate.Core.Resolution;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>/api/v1/usage</c>: what was spent on which model, and how it performed — grouped by model, provider, purpose,
/// key, team, variant, operation, source, status, day or hour, over a time range; and <c>/api/v1/usage/export</c>,
/// the same range as CSV or JSON rows for finance (by day, key, team, model and purpose unless told otherwise).
/// </summary>
internal static class UsageApi
{
    public const int MaxRangeDays = 400;
    private static readonly Dictionary<string, UsageDimension> Dimensions = Enum.GetValues<UsageDimension>()
        .ToDictionary(d => d.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    private static readonly UsageDimension[] ExportDefault = [UsageDimension.Day, UsageDimension.Key, UsageDimension.Team, UsageDimension.Model, UsageDimension.Purpose];

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", GetAsync).WithTags("Usage").WithName("GetUsage")
            .WithSummary("Requests, errors, tokens, cost (USD), latency and time-to-first-token percentiles, tokens/s. Query: from, to (ISO 8601; default the last 7 days), "
                + "group_by (comma-separated: " + string.Join(", ", Dimensions.Keys) + "), and filters model_id, provider_id, key_id, purpose, team.")
            .Produces<UsageReport>().ProducesValidationProblem();
        api.MapGet("/usage/export", ExportAsync).WithTags("Usage").WithName("ExportUsage")
            .WithSummary("The range's usage as rows for finance: format=csv (default) or json; group_by as for /usage (default day,key,team,model,purpose); the same filters.")
            .Produces<UsageReport>(contentType: "application/json").Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext context, UsageQuery usage, CurrentCatalog catalog, TimeProvider time)
    {
        var (request, invalid) = Read(context, time, []);
        if (invalid is not null)
        {
            return invalid;
        }

        var (groups, error) = await usage.RunAsync(request!, context.RequestAborted);
        return error is not null ? Invalid("group_by", error) : TypedResults.Ok(UsageRows.Report(request!, groups!, catalog));
    }

    private static async Task<IResult> ExportAsync(HttpContext context, UsageQuery usage, CurrentCatalog catalog, TimeProvider time)
    {
        var query = new QueryReader(context.Request.Query);
        var format = query.OneOf("format", ["csv", "json"]) ?? "csv";
        if (query.HasErrors)
        {
            return query.Error;
        }

        var (request, invalid) = Read(context, time, ExportDefault);
        if (invalid is not null)
        {
            return invalid;
        }

        var (groups, error) = await usage.RunAsync(request!, context.RequestAborted);
        if (error is not null)
        {
            return Invalid("group_by", error);
        }

        var report = UsageRows.Report(request!, groups!, catalog);
        if (format == "json")
        {
            return TypedResults.Ok(report);
        }

        var name = $"usage-{request!.From.UtcDateTime:yyyyMMdd'T'HHmm}-{request.To.UtcDateTime:yyyyMMdd'T'HHmm}.csv";
        return TypedResults.File(UsageCsv.Bytes(report), "text/csv; charset=utf-8", name);
    }

    // The range, grouping and filters of a usage question; the 400 when any is malformed.
    private static (UsageRequest? Request, IResult? Invalid) Read(HttpContext context, TimeProvider time, UsageDimension[] defaultGroupBy)
    {
        var query = new QueryReader(context.Request.Query);
        var to = query.Time("to") ?? time.GetUtcNow();
        if (to.Year < 2000 || to.Year > 9000)
        {
            return (null, Invalid("to", $"to must be between the years 2000 and 9000; got {to:u}"));
        }

        var from = query.Time("from") ?? to.AddDays(-7);
        var groupBy = new List<UsageDimension>();
        // An empty group_by is no grouping on /usage and the default on /usage/export.
        var names = query.Text("group_by", 200) is { Length: > 0 } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
        foreach (var name in names ?? [])
        {
            if (!Dimensions.TryGetValue(name, out var dimension))
            {
                return (null, Invalid("group_by", $"group_by takes {string.Join(", ", Dimensions.Keys)}, comma-separated; '{name}' is not one of them"));
            }

            if (!groupBy.Contains(dimension))
            {
                groupBy.Add(dimension);
            }
        }

        var request = new UsageRequest(from, to, names is null ? defaultGroupBy : groupBy)
        {
            ModelId = query.Id("model_id"),
            ProviderId = query.Id("provider_id"),
            KeyId = query.Id("key_id"),
            Purpose = query.Text("purpose", 200),
            Team = query.Text("team", 100),
        };
        if (query.HasErrors)
        {
            return (null, query.Error);
        }

        if (request.Team is { Length: 0 })
        {
            return (null, Invalid("team", "team must name a team (or be left out)"));
        }

        if (from >= to)
        {
            return (null, Invalid("from", $"from ({from:u}) must be before to ({to:u})"));
        }

        return to - from > TimeSpan.FromDays(MaxRangeDays) ? (null, Invalid("from", $"the range may span at most {MaxRangeDays} days; ask for several ranges")) : (request, null);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The query is not valid");
}
