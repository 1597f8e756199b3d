using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/llm-providers</c>: list, create, read, update (partial) and delete providers.</summary>
internal static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/llm-providers").WithTags("Providers");
        group.MapGet("/", ListAsync).WithName("ListProviders").WithSummary("List providers (paged; keys shown only as masks).")
            .Produces<Page<ProviderView>>().ProducesValidationProblem();
        group.MapPost("/", CreateAsync).WithName("CreateProvider").WithSummary("Create a provider; api_key is encrypted at rest.")
            .Accepts<ProviderChanges>("application/json").Produces<ProviderView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{provider_id:guid}", GetAsync).WithName("GetProvider").WithSummary("Read one provider; the ETag header carries its revision.")
            .Produces<ProviderView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{provider_id:guid}", UpdateAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Provider, "provider_id")).WithName("UpdateProvider")
            .WithSummary("Change any editable field (absent fields stay). api_key null clears the key; shadow_limits lists limits to count without enforcing. Send If-Match to detect concurrent edits; ?force=true clears defaults that deactivation would break (and keeps the aliases it would break).")
            .Accepts<ProviderChanges>("application/json").Produces<ProviderView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{provider_id:guid}", DeleteAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Provider, "provider_id")).WithName("DeleteProvider")
            .WithSummary("Delete a provider. Refused (409) while it has models unless ?force=true, which deletes them, clears their defaults and removes their aliases.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ProviderStore store)
    {
        var query = new QueryReader(context.Request.Query);
        var (limit, offset) = query.Paging();
        return query.HasErrors ? query.Error : TypedResults.Ok(await store.ListAsync(limit, offset, context.RequestAborted));
    }

    private static async Task<IResult> GetAsync(Guid provider_id, HttpContext context, ProviderStore store) =>
        await store.GetAsync(provider_id, context.RequestAborted) is { } provider
            ? ApiResults.WithETag(context, provider, provider.Revision)
            : ApiResults.Problem(CatalogError.NotFound($"no provider with id '{provider_id}'"));

    private static async Task<IResult> CreateAsync(HttpContext context, ProviderStore store)
    {
        var (changes, error) = await JsonBody.ReadAsync<ProviderChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.CreateAsync(changes!, context.User.Actor(), context.RequestAborted);
        return ApiResults.Created(context, result, v => (v.Id, v.Revision), "/api/v1/llm-providers");
    }

    private static async Task<IResult> UpdateAsync(Guid provider_id, HttpContext context, ProviderStore store)
    {
        if (QueryReader.ReadForce(context.Request, out var force) is { } badQuery)
        {
            return badQuery;
        }

        var (changes, error) = await JsonBody.ReadAsync<ProviderChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.UpdateAsync(provider_id, changes!, ApiResults.IfMatch(context.Request), force, context.User.Actor(), context.RequestAborted);
        return ApiResults.Entity(context, result, v => v.Revision);
    }

    private static async Task<IResult> DeleteAsync(Guid provider_id, HttpContext context, ProviderStore store)
    {
        if (QueryReader.ReadForce(context.Request, out var force) is { } badQuery)
        {
            return badQuery;
        }

        var result = await store.DeleteAsync(provider_id, ApiResults.IfMatch(context.Request), force, context.User.Actor(), context.RequestAborted);
        return ApiResults.NoContent(result);
    }
}
