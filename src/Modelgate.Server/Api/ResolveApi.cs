using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/llm-resolve</c>: what each purpose resolves to right now, with provenance and a masked key.</summary>
internal static class ResolveApi
{
    public sealed record ProviderSummary(Guid? Id, string Name, string Type, string? BaseUrl);

    public sealed record ModelSummary(Guid? Id, string ModelId, string? DisplayName, string Type);

    /// <summary>The alias a <c>?model=</c> resolution went through.</summary>
    public sealed record AliasSummary(string Name, bool Deprecated);

    /// <summary>
    /// One purpose's (or requested model's) resolution; <c>resolved</c> false with <c>error</c> saying what to configure when
    /// nothing can serve it. <c>purpose</c> is the purpose served (for a model or an alias, chat or embeddings by its kind;
    /// null when a requested non-purpose name does not resolve); <c>alias</c> the alias it went through, if any.
    /// </summary>
    public sealed record ResolutionView(
        string? Purpose,
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
        long CatalogVersion,
        AliasSummary? Alias = null);

    public static RouteGroupBuilder MapResolveApi(this RouteGroupBuilder api)
    {
        api.MapGet("/llm-resolve", Resolve).WithTags("Resolution").WithName("Resolve")
            .WithSummary("The effective model for ?purpose= (or for every configured purpose), or for ?model= (a purpose, an alias or a configured model, "
                + "resolved as the gateway would): source (database, last-known-good, environment), reason, masked key.")
            .Produces<ResolutionView>().Produces<Dictionary<string, ResolutionView>>().ProducesValidationProblem();
        return api;
    }

    private static IResult Resolve(HttpContext context, CurrentCatalog catalog)
    {
        var state = catalog.State;
        var query = context.Request.Query;
        if (query.TryGetValue("model", out var model))
        {
            if (query.ContainsKey("purpose"))
            {
                return JsonBody.Invalid("model", "give ?purpose= or ?model=, not both");
            }

            var name = model.ToString();
            if (string.IsNullOrWhiteSpace(name))
            {
                return JsonBody.Invalid("model", "model is required: a purpose, an alias, or a configured model's model_id or id");
            }

            // As the gateway resolves `model`: a purpose, then an alias, then a configured model (no key's allow-lists apply).
            var entry = state.Resolutions.Requested(name);
            var served = entry.Model?.Purpose.Name ?? (Purpose.TryParse(name, out var asked) ? asked.Name : null);
            return TypedResults.Ok(View(served, entry, state.Snapshot.Version));
        }

        if (query.TryGetValue("purpose", out var values))
        {
            return Purpose.TryParse(values.ToString(), out var purpose, out var error)
                ? TypedResults.Ok(View(purpose.Name, state.Resolutions.Entry(purpose), state.Snapshot.Version))
                : JsonBody.Invalid("purpose", error);
        }

        var all = state.Resolutions.KnownInOrder.ToDictionary(k => k.Key, k => View(k.Key, k.Value, state.Snapshot.Version), StringComparer.Ordinal);
        return TypedResults.Ok(all);
    }

    private static ResolutionView View(string? purpose, ResolutionEntry entry, long version) => entry.Model is { } m
        ? new ResolutionView(
            purpose, true, m.Source.ToName(), m.Reason, null,
            new ProviderSummary(m.Provider.Id == Guid.Empty ? null : m.Provider.Id, m.Provider.Name, m.Provider.Kind.ToName(), m.BaseUrl),
            new ModelSummary(m.Model.Id == Guid.Empty ? null : m.Model.Id, m.Model.ModelId, m.Model.DisplayName, m.Model.Kind.ToName()),
            m.ApiKey is not null, m.ApiKeyMask, m.Parameters, m.Pricing, m.CatalogVersion,
            m.Alias is { } alias ? new AliasSummary(alias.Name, alias.Deprecated) : null)
        : new ResolutionView(purpose, false, null, null, entry.Error, null, null, false, null, null, null, version);
}
