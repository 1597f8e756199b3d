using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/llm-defaults</c>: the default model of each purpose (chat, agents, embeddings, agents/&lt;type&gt;).</summary>
internal static class DefaultsApi
{
    /// <summary>The body of <c>PUT /api/v1/llm-defaults/{purpose}</c>.</summary>
    public sealed record SetDefaultRequest(string? ModelId);

    public static RouteGroupBuilder MapDefaultsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/llm-defaults").WithTags("Defaults");
        group.MapGet("/", GetAsync).WithName("GetDefaults")
            .WithSummary("The default model of chat, agents, embeddings and each agent type (null where unset).")
            .Produces<DefaultsView>();
        group.MapPut("/{**purpose}", SetAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Default, "purpose")).WithName("SetDefault")
            .WithSummary("Make a model the default for a purpose ('chat', 'agents', 'embeddings' or 'agents/<type>'); the previous default loses it in the same write.")
            .Accepts<SetDefaultRequest>("application/json").Produces<ModelView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{**purpose}", ClearAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Default, "purpose")).WithName("ClearDefault")
            .WithSummary("Unset a purpose's default (agent types then fall back to 'agents').")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext context, DefaultsStore store) =>
        TypedResults.Ok(await store.GetAsync(context.RequestAborted));

    private static async Task<IResult> SetAsync(string purpose, HttpContext context, DefaultsStore store)
    {
        var (request, error) = await JsonBody.ReadAsync<SetDefaultRequest>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.SetAsync(purpose, request!.ModelId, context.User.Actor(), context.RequestAborted);
        return result.Value is { } model ? TypedResults.Ok(model) : ApiResults.Problem(result.Error!);
    }

    private static async Task<IResult> ClearAsync(string purpose, HttpContext context, DefaultsStore store)
    {
        var result = await store.ClearAsync(purpose, context.User.Actor(), context.RequestAborted);
        return ApiResults.NoContent(result);
    }
}
