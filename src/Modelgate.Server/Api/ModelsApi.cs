using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>/api/v1/llm-models</c>: models with their parameters, prices and default flags. <c>{model_id}</c> is the
/// model's id or, when only one model has it, its upstream name.
/// </summary>
internal static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/llm-models").WithTags("Models");
        group.MapGet("/", ListAsync).WithName("ListModels").WithSummary("List models (paged), filtered by type, provider_id, is_active and search (in model_id or display_name).")
            .Produces<Page<ModelView>>().ProducesValidationProblem();
        group.MapPost("/", CreateAsync).WithName("CreateModel")
            .WithSummary("Create a model. provider_id defaults to the provider marked is_default; is_default_for_* flags make it a purpose's default. 409 when its model_id is an alias's name.")
            .Accepts<ModelChanges>("application/json").Produces<ModelView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{**model_id}", GetAsync).WithName("GetModel").WithSummary("Read one model by id or unambiguous upstream model_id.")
            .Produces<ModelView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{**model_id}", UpdateAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Model, "model_id")).WithName("UpdateModel")
            .WithSummary("Change any editable field. {\"is_default_for_agents\": true} makes it the agents default and takes the flag from the previous holder atomically. ?force=true clears defaults the change would break (and keeps aliases it would break). 409 when a new model_id is an alias's name.")
            .Accepts<ModelChanges>("application/json").Produces<ModelView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{**model_id}", DeleteAsync).AddEndpointFilter(new ManagedObjectGuard(ManagedObjects.Model, "model_id")).WithName("DeleteModel")
            .WithSummary("Delete a model. Refused (409) while it is a default or an alias's target unless ?force=true, which clears those defaults and removes those aliases.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapGet("/llm-prices/{**model_id}", PricesAsync).WithTags("Models").WithName("GetModelPrices")
            .WithSummary("A model's price periods, newest first: each price change opens a new period; calls keep the price they ran at.")
            .Produces<ModelPriceView[]>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ModelStore store)
    {
        var query = new QueryReader(context.Request.Query);
        var (limit, offset) = query.Paging();
        var search = context.Request.Query["search"].ToString().Trim();
        var filter = new ModelFilter(query.OneOf("type", ModelKinds.AllNames), query.Id("provider_id"), query.Bool("is_active"), search.Length == 0 ? null : search);
        return query.HasErrors ? query.Error : TypedResults.Ok(await store.ListAsync(filter, limit, offset, context.RequestAborted));
    }

    // The model with its scorecard of the last 24 hours (requests, success rate, latency, cost).
    private static async Task<IResult> GetAsync(string model_id, HttpContext context, ModelStore store, UsageQuery usage, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var result = await store.GetAsync(model_id, context.RequestAborted);
        if (result.Value is not { } model)
        {
            return ApiResults.Problem(result.Error!);
        }

        var body = System.Text.Json.JsonSerializer.SerializeToNode(model, json.Value.SerializerOptions)!.AsObject();
        body["scorecard"] = System.Text.Json.JsonSerializer.SerializeToNode(await usage.ScorecardAsync(model.Id, time.GetUtcNow(), 24, context.RequestAborted), json.Value.SerializerOptions);
        return ApiResults.WithETag(context, body, model.Revision);
    }

    private static async Task<IResult> PricesAsync(string model_id, HttpContext context, ModelStore store)
    {
        var result = await store.PricesAsync(model_id, context.RequestAborted);
        return result.Value is { } prices ? TypedResults.Ok(prices) : ApiResults.Problem(result.Error!);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ModelStore store)
    {
        var (changes, error) = await JsonBody.ReadAsync<ModelChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.CreateAsync(changes!, context.User.Actor(), context.RequestAborted);
        return ApiResults.Created(context, result, v => (v.Id, v.Revision), "/api/v1/llm-models");
    }

    private static async Task<IResult> UpdateAsync(string model_id, HttpContext context, ModelStore store)
    {
        if (QueryReader.ReadForce(context.Request, out var force) is { } badQuery)
        {
            return badQuery;
        }

        var (changes, error) = await JsonBody.ReadAsync<ModelChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await store.UpdateAsync(model_id, changes!, ApiResults.IfMatch(context.Request), force, context.User.Actor(), context.RequestAborted);
        return ApiResults.Entity(context, result, v => v.Revision);
    }

    private static async Task<IResult> DeleteAsync(string model_id, HttpContext context, ModelStore store)
    {
        if (QueryReader.ReadForce(context.Request, out var force) is { } badQuery)
        {
            return badQuery;
        }

        var result = await store.DeleteAsync(model_id, ApiResults.IfMatch(context.Request), force, context.User.Actor(), context.RequestAborted);
        return ApiResults.NoContent(result);
    }
}
