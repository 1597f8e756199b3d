using Modelgate.Server.Auth;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/config/versions</c>: every published catalog version, what each changed, and rollback.</summary>
internal static class ConfigVersionsApi
{
    public static RouteGroupBuilder MapConfigVersionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/config/versions").WithTags("Config versions");
        group.MapGet("/", ListAsync).WithName("ListConfigVersions").WithSummary("Published catalog versions, newest first: when, who, what.")
            .Produces<Page<ConfigVersionView>>().ProducesValidationProblem();
        group.MapGet("/{version:long}/diff", DiffAsync).WithName("DiffConfigVersion").WithSummary("What a version changed against the one before it (keys shown only as changed).")
            .Produces<ConfigVersionDiff>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{version:long}/rollback", RollbackAsync).WithName("RollbackConfigVersion")
            .WithSummary("Publish a new version equal to this one (keys included, re-encrypted under the current master key).")
            .Produces<ConfigVersionView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ConfigVersionStore versions)
    {
        var query = new QueryReader(context.Request.Query);
        var (limit, offset) = query.Paging();
        return query.HasErrors ? query.Error : TypedResults.Ok(await versions.ListAsync(limit, offset, context.RequestAborted));
    }

    private static async Task<IResult> DiffAsync(long version, HttpContext context, ConfigVersionStore versions)
    {
        var result = await versions.DiffAsync(version, context.RequestAborted);
        return result.Value is { } diff ? TypedResults.Ok(diff) : ApiResults.Problem(result.Error!);
    }

    private static async Task<IResult> RollbackAsync(long version, HttpContext context, ConfigVersionStore versions)
    {
        var result = await versions.RollbackAsync(version, context.User.Actor(), context.RequestAborted);
        return result.Value is { } published ? TypedResults.Ok(published) : ApiResults.Problem(result.Error!);
    }
}
