using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Server.Gateway.Steps;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The gateway's routes: OpenAI's <c>/v1/chat/completions</c>, <c>/v1/responses</c>, <c>/v1/embeddings</c>,
/// <c>/v1/models</c>(<c>/{id}</c>) and Anthropic's <c>/v1/messages</c> (and its <c>/count_tokens</c>). A call reads top to
/// bottom: the steps (<see cref="GatewaySteps"/>: concurrency → record →
/// authenticate → read and check the body → resolve), then the pipeline and the relay (<see cref="GatewayDispatch"/>).
/// </summary>
internal static class GatewayApi
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Gateway (OpenAI format)");
        v1.MapPost("/chat/completions", ChatCompletions).WithGatewaySteps(GatewayFormat.OpenAI, UsageOperations.Chat)
            .WithName("ChatCompletions").WithSummary("OpenAI chat completions; 'model' is a purpose (agents, chat, agents/<type>) or a configured model. Authenticate with a virtual key.");
        v1.MapPost("/responses", Responses).WithGatewaySteps(GatewayFormat.Responses, UsageOperations.Chat).WithContinuation()
            .WithName("Responses").WithSummary("OpenAI Responses API; 'model' is a purpose or a configured model. previous_response_id and item_reference continue calls Modelgate kept.");
        v1.MapPost("/embeddings", Embeddings).WithGatewaySteps(GatewayFormat.OpenAI, UsageOperations.Embeddings)
            .WithName("Embeddings").WithSummary("OpenAI embeddings; 'model' is 'embeddings' or a configured embedding model.");
        v1.MapPost("/messages", Messages).WithGatewaySteps(GatewayFormat.Anthropic, UsageOperations.Chat).WithTags("Gateway (Anthropic format)").WithName("Messages")
            .WithSummary("Anthropic Messages API; 'model' is a purpose or a configured model. Authenticate with a virtual key as x-api-key or Bearer.");
        v1.MapPost("/messages/count_tokens", (HttpContext context, MessageTokenCount count) => count.ServeAsync(context)).WithTokenCountSteps()
            .WithTags("Gateway (Anthropic format)").WithName("CountMessageTokens")
            .WithSummary("Anthropic's token count for a Messages request: the provider's for Anthropic models, else Modelgate's estimate "
                + "(x-modelgate-token-count says which). No usage record.");
        v1.MapGet("/models", ListModels).WithName("ListGatewayModels").WithSummary("Purposes and configured active models this key may use, in OpenAI's list format.");
        v1.MapGet("/models/{**id}", GetModel).WithName("GetGatewayModel").WithSummary("One purpose or configured model this key may use, in OpenAI's model format (models.retrieve).");
        // Any other route under /v1/ answers in the caller's format, not problem+json: SDKs show that message to people.
        app.MapFallback("/v1/{**path}", UnknownRoute).ExcludeFromDescription();
        return app;
    }

    // The endpoints, after the steps (GatewaySteps): the pipeline opens the chain's models in turn, each the way its
    // provider is reached — passed through in the caller's format where the provider speaks it, else translated.
    private static Task ChatCompletions(HttpContext context, GatewayServices services) =>
        services.Dispatch.ServeAsync(context, GatewayFormat.OpenAI, (request, model, token) => OpenAIPassthrough.Serves(model.Provider.Kind)
            ? services.OpenAI.OpenAsync(context, request, model, "chat/completions", token)
            : services.Chat.OpenAsync(context, request, model, GatewayFormat.OpenAI, token));

    // Passed through to providers that serve the Responses API themselves; translated to any other's chat API.
    private static Task Responses(HttpContext context, GatewayServices services) =>
        services.Dispatch.ServeAsync(context, GatewayFormat.Responses, (request, model, token) => OpenAIPassthrough.ServesResponses(model.Provider.Kind)
            ? services.OpenAI.OpenAsync(context, request, model, "responses", token)
            : services.Chat.OpenAsync(context, request, model, GatewayFormat.Responses, token));

    private static Task Embeddings(HttpContext context, GatewayServices services) =>
        services.Dispatch.ServeAsync(context, GatewayFormat.OpenAI, (request, model, token) => OpenAIPassthrough.Serves(model.Provider.Kind)
            ? services.OpenAI.OpenAsync(context, request, model, "embeddings", token)
            : services.Embeddings.OpenAsync(request, model, token));

    private static Task Messages(HttpContext context, GatewayServices services) =>
        services.Dispatch.ServeAsync(context, GatewayFormat.Anthropic, (request, model, token) => AnthropicPassthrough.Serves(model.Provider.Kind)
            ? services.Anthropic.OpenAsync(context, request, model, token)
            : services.Chat.OpenAsync(context, request, model, GatewayFormat.Anthropic, token));

    // The gateway's routes and their one method each: another method on them is a 405, not an unknown route.
    private static readonly Dictionary<string, string> RouteMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/v1/chat/completions"] = "POST",
        ["/v1/responses"] = "POST",
        ["/v1/embeddings"] = "POST",
        ["/v1/messages"] = "POST",
        ["/v1/messages/count_tokens"] = "POST",
        ["/v1/models"] = "GET",
    };

    private static IResult UnknownRoute(HttpContext context)
    {
        var request = context.Request;
        // Anthropic's SDKs always send anthropic-version; OpenAI's never do.
        var format = request.Headers.ContainsKey("anthropic-version") ? GatewayFormat.Anthropic : GatewayFormat.OpenAI;
        if (RouteMethods.TryGetValue(request.Path.Value?.TrimEnd('/') ?? "", out var method))
        {
            context.Response.Headers.Allow = method;
            return GatewayErrors.Write(format, 405, $"{request.Path} takes {method}, not {request.Method}.", code: "method_not_allowed");
        }

        if (request.Path.StartsWithSegments("/v1/responses"))
        {
            return GatewayErrors.Write(format, 404,
                $"Modelgate has no route {request.Method} {request.Path}: it keeps Responses API calls only so later calls can continue them (previous_response_id, item_reference), not to be read back, listed or deleted.",
                code: "unknown_route");
        }

        return GatewayErrors.Write(format, 404,
            $"Modelgate has no route {request.Method} {request.Path}: it serves POST /v1/chat/completions, POST /v1/responses, POST /v1/embeddings, POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models and GET /v1/models/{{id}}.",
            code: "unknown_route");
    }

    private static IResult ListModels(HttpContext context, CurrentCatalog catalog, TimeProvider time)
    {
        var (key, error) = GatewayCaller.Authenticate(context, catalog, GatewayFormat.OpenAI, time);
        return error ?? TypedResults.Json(new { @object = "list", data = Listed(key!, catalog.State).ToArray() });
    }

    // OpenAI's models.retrieve. A purpose's name has a slash (agents/researcher): SDKs send it escaped or not.
    private static IResult GetModel(HttpContext context, string id, CurrentCatalog catalog, TimeProvider time)
    {
        var (key, error) = GatewayCaller.Authenticate(context, catalog, GatewayFormat.OpenAI, time);
        if (error is not null)
        {
            return error;
        }

        var name = Uri.UnescapeDataString(id);
        return Listed(key!, catalog.State).FirstOrDefault(m => m.Id == name) is { } model
            ? TypedResults.Json(model)
            : GatewayErrors.Write(GatewayFormat.OpenAI, 404, $"The model '{name}' does not exist or this key may not use it: GET /v1/models lists the ones it may.", param: "model", code: "model_not_found");
    }

    // The purposes, aliases and configured active models the key may use, as OpenAI's model objects. An alias is reachable
    // by a key without allow-lists, or one whose allowed models name its target or (not a deprecation alias) the alias itself.
    private static IEnumerable<GatewayModel> Listed(Core.Catalog.VirtualKey key, CatalogState state)
    {
        var created = state.Snapshot.PublishedAt.ToUnixTimeSeconds();
        var purposes = state.Resolutions.Known.Where(k => k.Value.Model is not null && key.Allows(k.Key, k.Value.Model.Model.ModelId))
            .Select(k => new GatewayModel(k.Key, created, "modelgate"));
        var models = state.Snapshot.Models.Values
            .Where(m => m.IsActive && state.Snapshot.Providers.TryGetValue(m.ProviderId, out var p) && p.IsActive)
            // A model whose model_id is taken by a (deprecation) alias is reached through the alias only: listed as it, if at all.
            .Where(m => !state.Resolutions.TryAlias(m.ModelId, out _))
            .Where(m => key.AllowedModels.Contains(m.ModelId) || (key.AllowedPurposes.Count == 0 && key.AllowedModels.Count == 0))
            .Select(m => new GatewayModel(m.ModelId, created, state.Snapshot.Providers[m.ProviderId].Name))
            .DistinctBy(m => m.Id);
        var aliases = state.Resolutions.Aliases
            .Where(a => a.Entry.Model is { } target && KeyAdmission.AllowsAlias(key, a.Alias, target.Model.ModelId))
            .OrderBy(a => a.Alias.Name, StringComparer.Ordinal)
            .Select(a => new GatewayModel(a.Alias.Name, created, "modelgate"));
        return purposes.Concat(aliases).Concat(models).DistinctBy(m => m.Id);
    }

    private sealed record GatewayModel(
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("created")] long Created,
        [property: System.Text.Json.Serialization.JsonPropertyName("owned_by")] string OwnedBy)
    {
        [System.Text.Json.Serialization.JsonPropertyName("object")]
        public string Object => "model";
    }
}
