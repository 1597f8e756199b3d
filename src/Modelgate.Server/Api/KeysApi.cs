using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary>
/// <c>/api/v1/keys</c>: virtual keys for gateway callers. The secret is returned once, on creation; only its
/// SHA-256 is stored. Revocation and expiry apply on every instance with the next catalog version.
/// </summary>
/// <summary>A key's spend in its current budget period (all null when it has no budget).</summary>
public sealed record KeySpendView(Guid KeyId, decimal? BudgetUsd, string? BudgetPeriod, decimal? SpentUsd, decimal? RemainingUsd, bool Exhausted, DateTimeOffset? PeriodStart, DateTimeOffset? ResetsAt);

internal static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/keys").WithTags("Virtual keys");
        group.MapGet("/", ListAsync).WithName("ListKeys").WithSummary("List virtual keys (never their secrets).")
            .Produces<Page<VirtualKeyView>>().ProducesValidationProblem();
        group.MapPost("/", CreateAsync).WithName("CreateKey")
            .WithSummary("Create a key: name, optional expires_at, allowed_purposes (e.g. 'agents', 'agents/*'), allowed_models, budget_usd and budget_period, "
                + "requests_per_minute, tokens_per_minute, concurrent_requests and shadow_limits. The response carries the secret, shown only this once.")
            .Accepts<VirtualKeyChanges>("application/json").Produces<NewVirtualKey>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetAsync).WithName("GetKey").WithSummary("Read one key.").Produces<VirtualKeyView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateKey").WithSummary("Change name, allow-lists, expiry, budget or limits (absent fields stay; null removes a limit).")
            .Accepts<VirtualKeyChanges>("application/json").Produces<VirtualKeyView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/{id:guid}/revoke", RevokeAsync).WithName("RevokeKey").WithSummary("Revoke a key at once, on every instance.")
            .Produces<VirtualKeyView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/spend", SpendAsync).WithName("GetKeySpend")
            .WithSummary("What the key spent in its current budget period, against its budget (budget_usd, budget_period, spent_usd, remaining_usd, period_start, resets_at).")
            .Produces<KeySpendView>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult SpendAsync(Guid id, Modelgate.Core.Resolution.CurrentCatalog catalog, Modelgate.Storage.Usage.SpendLedger ledger)
    {
        var key = catalog.State.Snapshot.VirtualKeys.Values.FirstOrDefault(k => k.Id == id);
        if (key is null)
        {
            return ApiResults.Problem(CatalogError.NotFound($"no virtual key with id '{id}'"));
        }

        return TypedResults.Ok(ledger.StateOf(key) is { } state
            ? new KeySpendView(key.Id, state.AmountUsd, Budget.Name(state.Period), state.SpentUsd, state.RemainingUsd, state.Exhausted, state.PeriodStart, state.ResetsAt)
            : new KeySpendView(key.Id, null, null, null, null, false, null, null));
    }

    private static async Task<IResult> ListAsync(HttpContext context, VirtualKeyStore keys)
    {
        var query = new QueryReader(context.Request.Query);
        var (limit, offset) = query.Paging();
        return query.HasErrors ? query.Error : TypedResults.Ok(await keys.ListAsync(limit, offset, context.RequestAborted));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext context, VirtualKeyStore keys) =>
        await keys.GetAsync(id, context.RequestAborted) is { } key
            ? ApiResults.WithETag(context, key, key.Revision)
            : ApiResults.Problem(CatalogError.NotFound($"no virtual key with id '{id}'"));

    private static async Task<IResult> CreateAsync(HttpContext context, VirtualKeyStore keys)
    {
        var (changes, error) = await JsonBody.ReadAsync<VirtualKeyChanges>(context);
        if (error is not null)
        {
            return error;
        }

        var result = await keys.CreateAsync(changes!, context.User.Actor(), context.RequestAborted);
        return ApiResults.Created(context, result, v => (v.VirtualKey.Id, v.VirtualKey.Revision), "/api/v1/keys");
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpContext context, VirtualKeyStore keys)
    {
        var (changes, error) = await JsonBody.ReadAsync<VirtualKeyChanges>(context);
        if (error is not null)
        {
            return error;
        }

        return ApiResults.Entity(context, await keys.UpdateAsync(id, changes!, ApiResults.IfMatch(context.Request), context.User.Actor(), context.RequestAborted), v => v.Revision);
    }

    private static async Task<IResult> RevokeAsync(Guid id, HttpContext context, VirtualKeyStore keys) =>
        ApiResults.Entity(context, await keys.RevokeAsync(id, context.User.Actor(), context.RequestAborted), v => v.Revision);
}
