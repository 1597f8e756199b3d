using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/instances</c>: every running instance, the catalog version it has in effect and its lag.</summary>
internal static class InstancesApi
{
    public static RouteGroupBuilder MapInstancesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/instances", ListAsync).WithTags("Instances").WithName("ListInstances")
            .WithSummary("Running instances (id, host, started, config version, source, last change received, lag) and whether all run the latest version.")
            .Produces<FleetView>();
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, InstanceRegistry registry) =>
        TypedResults.Ok(await registry.ListAsync(context.RequestAborted));
}
