using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Api;

/// <summary>
/// Refuses (409) a change through the admin API to an object a configuration file owns (see <see cref="ManagedObjects"/>),
/// unless the caller repeats it with <c>?force_managed=true</c>: the next apply of the file would undo the change, so
/// it should be made in the file. A forced change is made and shows up in <c>modelgate drift</c>.
/// </summary>
internal sealed class ManagedObjectGuard(string kind, string routeValue) : IEndpointFilter
{
    public const string OverrideQuery = "force_managed";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var managed = http.RequestServices.GetRequiredService<CurrentCatalog>().State.Snapshot;
        if (managed.Managed.IsEmpty || string.Equals(http.Request.Query[OverrideQuery], "true", StringComparison.OrdinalIgnoreCase)
            || http.Request.RouteValues[routeValue] is not string value)
        {
            return await next(context);
        }

        foreach (var name in Names(managed, kind, value))
        {
            if (managed.Managed.Contains(kind, name))
            {
                return TypedResults.Problem(
                    $"{Describe(kind)} '{name}' is managed by a configuration file (first applied as {managed.Managed.Source}, sha256 {managed.Managed.Sha256[..Math.Min(12, managed.Managed.Sha256.Length)]}). "
                    + $"Change the file and apply it, or repeat with ?{OverrideQuery}=true: the next apply of the file will undo this change.",
                    statusCode: StatusCodes.Status409Conflict, title: "Managed by a configuration file",
                    extensions: new Dictionary<string, object?> { ["managed_by"] = managed.Managed.Source });
            }
        }

        return await next(context);
    }

    /// <summary>Whether a file owns the object an id or name (as the API and console take them) stands for.</summary>
    public static bool IsManaged(CatalogSnapshot snapshot, string kind, string? value) =>
        !snapshot.Managed.IsEmpty && value is not null && Names(snapshot, kind, value).Any(name => snapshot.Managed.Contains(kind, name));

    // The names the route's value may stand for: an id or a name, as each API takes them.
    private static IEnumerable<string> Names(CatalogSnapshot snapshot, string kind, string value)
    {
        switch (kind)
        {
            case ManagedObjects.Provider:
                return Guid.TryParse(value, out var providerId) && snapshot.Providers.TryGetValue(providerId, out var provider) ? [provider.Name] : [value];
            case ManagedObjects.Model:
                var models = Guid.TryParse(value, out var modelId) && snapshot.Models.TryGetValue(modelId, out var model) ? [model]
                    : snapshot.Models.Values.Where(m => m.ModelId == value).ToList();
                return models.Where(m => snapshot.Providers.ContainsKey(m.ProviderId)).Select(m => $"{snapshot.Providers[m.ProviderId].Name}/{m.ModelId}");
            case ManagedObjects.Experiment:
                return Guid.TryParse(value, out var experimentId) && snapshot.Experiments.TryGetValue(experimentId, out var experiment) ? [experiment.Name] : [value];
            default:
                return [value];
        }
    }

    private static string Describe(string kind) => kind switch
    {
        ManagedObjects.Default => "The default of purpose",
        ManagedObjects.Fallback => "The fallbacks of purpose",
        _ => char.ToUpperInvariant(kind[0]) + kind[1..],
    };
}
