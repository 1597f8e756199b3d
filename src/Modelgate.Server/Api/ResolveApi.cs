using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/llm-resolve</c>: what each purpose resolves to right now, with provenance and a masked key.</summary>
internal static class ResolveApi
{
    public sealed record ProviderSummary(Guid? Id, string Name, string Type, string? BaseUrl);

    public sealed record ModelSummary(Guid? Id, string ModelId, string? DisplayName, string Type);

    /// <summary>One purpose's resolution; <c>resolved</c> false with <c>error</c> saying what to configure when nothing can serve it.</summary>
    public sealed record ResolutionView(
        string Purpose,
        bool Resolved,
        string? Source,
        string? Reason,
        string? Error,
        ProviderSummary? Provider,
        ModelSummary? Model,
        bool HasApiKey,
        string? ApiKeyMask,
        ModelParameters? Parameters,
        Pricing? Pricing,
        long CatalogVersion);

    public static RouteGroupBuilder MapResolveApi(this RouteGroupBuilder api)
    {
        api.MapGet("/llm-resolve", Resolve).WithTags("Resolution").WithName("Resolve")
            .WithSummary("The effective model for ?purpose= (or for every configured purpose): source (database, last-known-good, environment), reason, masked key.")
            .Produces<ResolutionView>().Produces<Dictionary<string, ResolutionView>>().ProducesValidationProblem();
        return api;
    }

    private static IResult Resolve(HttpContext context, CurrentCatalog catalog)
    {
        var state = catalog.State;
        if (context.Request.Query.TryGetValue("purpose", out var values))
        {
            return Purpose.TryParse(values.ToString(), out var purpose, out var error)
                ? TypedResults.Ok(View(purpose, state.Resolutions.Entry(purpose), state.Snapshot.Version))
                : JsonBody.Invalid("purpose", error);
        }

        var all = state.Resolutions.KnownInOrder.ToDictionary(k => k.Key, k => View(Purpose.TryParse(k.Key, out var p, out _) ? p : default, k.Value, state.Snapshot.Version), StringComparer.Ordinal);
        return TypedResults.Ok(all);
    }

    private static ResolutionView View(Purpose purpose, ResolutionEntry entry, long version) => entry.Model is { } m
        ? new ResolutionView(
            purpose.Name, true, m.Source.ToName(), m.Reason, null,
            new ProviderSummary(m.Provider.Id == Guid.Empty ? null : m.Provider.Id, m.Provider.Name, m.Provider.Kind.ToName(), m.BaseUrl),
            new ModelSummary(m.Model.Id == Guid.Empty ? null : m.Model.Id, m.Model.ModelId, m.Model.DisplayName, m.Model.Kind.ToName()),
            m.ApiKey is not null, m.ApiKeyMask, m.Parameters, m.Pricing, m.CatalogVersion)
        : new ResolutionView(purpose.Name, false, null, null, entry.Error, null, null, false, null, null, null, version);
}
