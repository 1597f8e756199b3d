using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>/api/v1/experiments</c>: A/B experiments on a purpose or alias, each change a catalog version like any other.
/// <c>{experiment}</c> is the experiment's id or name.
/// </summary>
internal static class ExperimentsApi
{
    /// <summary>The body of <c>POST /api/v1/experiments/{experiment}/stop</c> (optional).</summary>
    public sealed record StopRequest(string? Reason);

    /// <summary>The body of <c>POST /api/v1/experiments/{experiment}/promote</c>.</summary>
    public sealed record PromoteRequest(string? Variant);

    public static RouteGroupBuilder MapExperimentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("Experiments");
        group.MapGet("/", ListAsync).WithName("ListExperiments").WithSummary("Every experiment, newest first, with its phase now (scheduled, running, ended, stopped).")
            .Produces<ExperimentView[]>();
        group.MapPost("/", CreateAsync).WithName("CreateExperiment")
            .WithSummary("Create an experiment on a purpose or alias (target): 2–10 variants, the first the control (model_id: id or upstream model_id; "
                + "absent: the target as configured), weights, optional shadow variants, parameters, guardrails, stickiness, starts_at, ends_at, alpha. "
                + "One running experiment per target (409 naming the other).")
            .Accepts<ExperimentChanges>("application/json").Produces<ExperimentView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{experiment}", GetAsync).WithName("GetExperiment").WithSummary("One experiment by id or name, with its revision as ETag.")
            .Produces<ExperimentView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{experiment}", UpdateAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Experiment, "experiment")).WithName("UpdateExperiment")
            .WithSummary("Change an experiment (absent fields stay; variants and guardrails are replaced whole). Weights take effect on every instance "
                + "with the new catalog version; the target cannot change while it runs. If-Match: the revision last read.")
            .Accepts<ExperimentChanges>("application/json").Produces<ExperimentView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{experiment}", DeleteAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Experiment, "experiment")).WithName("DeleteExperiment")
            .WithSummary("Delete a stopped, ended or scheduled experiment (its usage and feedback stay); a running one is a 409: stop it first.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/{experiment}/stop", StopAsync).WithName("StopExperiment")
            .WithSummary("Stop an experiment for good (optional body {\"reason\": \"...\"}); its target's calls go back to the target as configured. "
                + "Stopping a stopped experiment changes nothing.")
            .Accepts<StopRequest>("application/json").Produces<ExperimentView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{experiment}/promote", PromoteAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Experiment, "experiment")).WithName("PromoteExperiment")
            .WithSummary("Make a variant's model the target's ({\"variant\": \"b\"}: the purpose's default or the alias's model) and stop the experiment, "
                + "in one audited change that a config rollback undoes. The variant's parameter overrides are not carried over.")
            .Accepts<PromoteRequest>("application/json").Produces<ExperimentView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ExperimentStore store) => TypedResults.Ok(await store.ListAsync(context.RequestAborted));

    private static async Task<IResult> GetAsync(string experiment, HttpContext context, ExperimentStore store) =>
        ApiResults.Entity(context, await store.GetAsync(experiment, context.RequestAborted), e => e.Revision);

    private static async Task<IResult> CreateAsync(HttpContext context, ExperimentStore store)
    {
        var (changes, error) = await JsonBody.ReadAsync<ExperimentChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.CreateAsync(changes!, context.User.Actor(), context.RequestAborted);
        return ApiResults.Created(context, result, e => (e.Id, e.Revision), "/api/v1/experiments");
    }

    private static async Task<IResult> UpdateAsync(string experiment, HttpContext context, ExperimentStore store)
    {
        var (changes, error) = await JsonBody.ReadAsync<ExperimentChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.UpdateAsync(experiment, changes!, ApiResults.IfMatch(context.Request), context.User.Actor(), context.RequestAborted);
        return ApiResults.Entity(context, result, e => e.Revision);
    }

    private static async Task<IResult> DeleteAsync(string experiment, HttpContext context, ExperimentStore store) =>
        ApiResults.NoContent(await store.DeleteAsync(experiment, ApiResults.IfMatch(context.Request), context.User.Actor(), context.RequestAborted));

    private static async Task<IResult> StopAsync(string experiment, HttpContext context, ExperimentStore store)
    {
        // The reason is optional, and so is the body.
        string? reason = null;
        if (context.Request.ContentLength is not 0 && (context.Request.ContentLength is not null || context.Request.ContentType is not null))
        {
            var (request, error) = await JsonBody.ReadAsync<StopRequest>(context);
            if (error is not null)
            {
                return error;
            }

            reason = request!.Reason;
        }

        return ApiResults.Entity(context, await store.StopAsync(experiment, reason, context.User.Actor(), context.RequestAborted), e => e.Revision);
    }

    private static async Task<IResult> PromoteAsync(string experiment, HttpContext context, ExperimentStore store)
    {
        var (request, error) = await JsonBody.ReadAsync<PromoteRequest>(context);
        if (error is not null)
        {
            return error;
        }

        return ApiResults.Entity(context, await store.PromoteAsync(experiment, request!.Variant, context.User.Actor(), context.RequestAborted), e => e.Revision);
    }
}
