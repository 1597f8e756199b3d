using Modelgate.Server.Experiments;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>GET /api/v1/experiments/{experiment}/results</c>: each variant's calls, errors, latency, time to first token, cost,
/// tokens and feedback from usage, the comparisons with the control (anytime-valid intervals: looking often is safe), the
/// split's sample ratio check, the guardrails' state, and hourly figures for charts (<see cref="ExperimentResultsReader"/>).
/// </summary>
internal static class ExperimentResultsApi
{
    public static RouteGroupBuilder MapExperimentResultsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/experiments/{experiment}/results", GetAsync).WithTags("Experiments").WithName("GetExperimentResults")
            .WithSummary("Per-variant results from usage and feedback, comparisons with the control (anytime-valid confidence intervals), the sample "
                + "ratio check and the guardrails' state. Query: from, to (ISO 8601; default the experiment's whole life).")
            .Produces<ExperimentResults>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> GetAsync(string experiment, HttpContext context, ExperimentResultsReader results)
    {
        var reader = new QueryReader(context.Request.Query);
        var from = reader.Time("from");
        var to = reader.Time("to");
        if (reader.HasErrors)
        {
            return reader.Error;
        }

        if (from >= to)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [$"from ({from:u}) must be before to ({to:u})"] });
        }

        return await results.ReadAsync(experiment, from, to, context.RequestAborted) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"no experiment '{(experiment.Length > 80 ? experiment[..80] + "..." : experiment)}' (its id or name)");
    }
}
