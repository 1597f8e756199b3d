using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Server.Gateway.Translation;

namespace Modelgate.Server.Gateway;

/// <summary>The OpenAI-compatible gateway: <c>/v1/chat/completions</c>, <c>/v1/embeddings</c>, <c>/v1/models</c>.</summary>
internal static class GatewayApi
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Gateway (OpenAI format)");
        v1.MapPost("/chat/completions", (HttpContext c, CurrentCatalog catalog, ModelResolver resolver, OpenAIPassthrough forward, TranslatingChat translate, TimeProvider time) =>
                ForwardAsync(c, catalog, resolver, forward, time, "chat/completions", translate))
            .WithName("ChatCompletions").WithSummary("OpenAI chat completions; 'model' is a purpose (agents, chat, agents/<type>) or a configured model. Authenticate with a virtual key.");
        v1.MapPost("/embeddings", (HttpContext c, CurrentCatalog catalog, ModelResolver resolver, OpenAIPassthrough forward, TimeProvider time) =>
                ForwardAsync(c, catalog, resolver, forward, time, "embeddings"))
            .WithName("Embeddings").WithSummary("OpenAI embeddings; 'model' is 'embeddings' or a configured embedding model.");
        v1.MapPost("/messages", ForwardMessagesAsync).WithTags("Gateway (Anthropic format)").WithName("Messages")
            .WithSummary("Anthropic Messages API; 'model' is a purpose or a configured model. Authenticate with a virtual key as x-api-key or Bearer.");
        v1.MapGet("/models", ListModels).WithName("ListGatewayModels").WithSummary("Purposes and configured active models this key may use, in OpenAI's list format.");
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, CurrentCatalog catalog, ModelResolver resolver, OpenAIPassthrough forward, TimeProvider time, string path, TranslatingChat? translate = null)
    {
        var (request, error) = await GatewayRequest.ReadAsync(context, GatewayFormat.OpenAI, catalog, resolver, time);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        if (!OpenAIPassthrough.Serves(request!.Resolved.Provider.Kind) && translate is not null)
        {
            await translate.ForwardAsync(context, request, GatewayFormat.OpenAI);
            return;
        }

        if (!OpenAIPassthrough.Serves(request.Resolved.Provider.Kind))
        {
            await GatewayErrors.Write(GatewayFormat.OpenAI, 501,
                $"'{request.Requested}' resolves to {request.Resolved.Provider.Kind.ToName()} provider '{request.Resolved.Provider.Name}'; translating OpenAI-format requests to that provider is not available yet.").ExecuteAsync(context);
            return;
        }

        await forward.ForwardAsync(context, request, path);
    }

    private static async Task ForwardMessagesAsync(HttpContext context, CurrentCatalog catalog, ModelResolver resolver, AnthropicPassthrough forward, TranslatingChat translate, TimeProvider time)
    {
        var (request, error) = await GatewayRequest.ReadAsync(context, GatewayFormat.Anthropic, catalog, resolver, time);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        if (!AnthropicPassthrough.Serves(request!.Resolved.Provider.Kind))
        {
            await translate.ForwardAsync(context, request, GatewayFormat.Anthropic);
            return;
        }

        if (AnthropicPassthrough.Missing(request.Body, request.Resolved) is { } field)
        {
            await GatewayErrors.Write(GatewayFormat.Anthropic, 400, $"{field}: Field required").ExecuteAsync(context);
            return;
        }

        await forward.ForwardAsync(context, request);
    }

    private static IResult ListModels(HttpContext context, CurrentCatalog catalog, TimeProvider time)
    {
        var (key, error) = GatewayCaller.Authenticate(context, catalog, GatewayFormat.OpenAI, time);
        if (error is not null)
        {
            return error;
        }

        var state = catalog.State;
        var created = state.Snapshot.PublishedAt.ToUnixTimeSeconds();
        var purposes = state.Resolutions.Known.Where(k => k.Value.Model is not null && key!.Allows(k.Key, k.Value.Model.Model.ModelId))
            .Select(k => new { id = k.Key, @object = "model", created, owned_by = "modelgate" });
        var models = state.Snapshot.Models.Values
            .Where(m => m.IsActive && state.Snapshot.Providers.TryGetValue(m.ProviderId, out var p) && p.IsActive)
            .Where(m => key!.AllowedModels.Contains(m.ModelId) || (key.AllowedPurposes.Count == 0 && key.AllowedModels.Count == 0))
            .Select(m => new { id = m.ModelId, @object = "model", created, owned_by = state.Snapshot.Providers[m.ProviderId].Name })
            .DistinctBy(m => m.id);
        return TypedResults.Json(new { @object = "list", data = purposes.Concat(models).ToArray() });
    }
}
