using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/llm-fallbacks</c>: per purpose, the models the gateway tries in order when the default fails before answering.</summary>
internal static class FallbacksApi
{
    /// <summary>The body of <c>PUT /api/v1/llm-fallbacks/{purpose}</c>: the whole chain, in order (empty clears it).</summary>
    public sealed record SetFallbacksRequest(string[]? ModelIds);

    public static RouteGroupBuilder MapFallbacksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/llm-fallbacks").WithTags("Defaults");
        group.MapGet("/", GetAsync).WithName("GetFallbacks").WithSummary("Every purpose's fallback chain.")
            .Produces<IReadOnlyDictionary<string, FallbackModelView[]>>();
        group.MapPut("/{**purpose}", SetAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Fallback, "purpose")).WithName("SetFallbacks")
            .WithSummary("Replace a purpose's fallback chain: up to 5 models (ids or upstream names), tried in order on connection failure, timeout, 429 or 5xx before the first byte.")
            .Accepts<SetFallbacksRequest>("application/json").Produces<FallbackModelView[]>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext context, FallbackStore store) => TypedResults.Ok(await store.GetAsync(context.RequestAborted));

    private static async Task<IResult> SetAsync(string purpose, HttpContext context, FallbackStore store)
    {
        var (request, error) = await JsonBody.ReadAsync<SetFallbacksRequest>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.SetAsync(purpose, request!.ModelIds, context.User.Actor(), context.RequestAborted);
        return result.Value is { } chain ? TypedResults.Ok(chain) : ApiResults.Problem(result.Error!);
    }
}
