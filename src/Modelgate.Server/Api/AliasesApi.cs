using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/aliases</c>: other names clients may send as <c>model</c> (<c>smart</c>, an old model id), each for one model.</summary>
internal static class AliasesApi
{
    /// <summary>The body of <c>PUT /api/v1/aliases/{name}</c>: the whole alias.</summary>
    public sealed record SetAliasRequest(string? ModelId, string? Description, bool? Deprecated);

    public static RouteGroupBuilder MapAliasesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/aliases").WithTags("Aliases");
        group.MapGet("/", ListAsync).WithName("ListAliases")
            .WithSummary("Every alias, by name, with what this instance resolves it to now (resolves_to) or why it cannot serve (resolve_error).")
            .Produces<AliasView[]>();
        group.MapGet("/{**name}", GetAsync).WithName("GetAlias").WithSummary("One alias, with its revision as ETag.")
            .Produces<AliasView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{**name}", SetAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Alias, "name")).WithName("SetAlias")
            .WithSummary("Create or replace an alias: its target model (id or upstream model_id), a description, and whether it is a "
                + "deprecation redirect (the only way an alias may take a configured model's model_id). If-Match: the revision last read. "
                + "409 when the target's model_id is offered by several providers (use its id), or a new target is inactive or on an inactive provider.")
            .Accepts<SetAliasRequest>("application/json").Produces<AliasView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{**name}", DeleteAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Alias, "name")).WithName("DeleteAlias").WithSummary("Remove an alias; calls naming it then get 404.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AliasStore store) => TypedResults.Ok(await store.ListAsync(context.RequestAborted));

    private static async Task<IResult> GetAsync(string name, HttpContext context, AliasStore store) =>
        ApiResults.Entity(context, await store.GetAsync(name, context.RequestAborted), a => a.Revision);

    private static async Task<IResult> SetAsync(string name, HttpContext context, AliasStore store)
    {
        var (request, error) = await JsonBody.ReadAsync<SetAliasRequest>(context);
        if (error is not null)
        {
            return error;
        }

        var changes = new AliasChanges(request!.ModelId, request.Description, request.Deprecated ?? false);
        var result = await store.SetAsync(name, changes, ApiResults.IfMatch(context.Request), context.User.Actor(), context.RequestAborted);
        return ApiResults.Entity(context, result, a => a.Revision);
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext context, AliasStore store) =>
        ApiResults.NoContent(await store.DeleteAsync(name, ApiResults.IfMatch(context.Request), context.User.Actor(), context.RequestAborted));
}
