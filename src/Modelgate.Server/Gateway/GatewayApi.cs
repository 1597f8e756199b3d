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

        await DispatchAsync(context, request!, GatewayFormat.OpenAI, candidate =>
            OpenAIPassthrough.Serves(candidate.Provider.Kind) ? forward.TryAsync(context, request!, candidate, path)
            : translate is not null ? translate.TryAsync(context, request!, candidate, GatewayFormat.OpenAI)
            : Task.FromResult<IResult?>(GatewayErrors.Write(GatewayFormat.OpenAI, 501,
                $"'{request!.Requested}' resolves to {candidate.Provider.Kind.ToName()} provider '{candidate.Provider.Name}', whose embeddings are not served through the gateway yet.")));
    }

    private static async Task ForwardMessagesAsync(HttpContext context, CurrentCatalog catalog, ModelResolver resolver, AnthropicPassthrough forward, TranslatingChat translate, TimeProvider time)
    {
        var (request, error) = await GatewayRequest.ReadAsync(context, GatewayFormat.Anthropic, catalog, resolver, time);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        if (AnthropicPassthrough.Missing(request!.Body, request.Resolved) is { } field)
        {
            await GatewayErrors.Write(GatewayFormat.Anthropic, 400, $"{field}: Field required").ExecuteAsync(context);
            return;
        }

        await DispatchAsync(context, request, GatewayFormat.Anthropic, candidate =>
            AnthropicPassthrough.Serves(candidate.Provider.Kind) ? forward.TryAsync(context, request, candidate) : translate.TryAsync(context, request, candidate, GatewayFormat.Anthropic));
    }

    /// <summary>
    /// Tries the resolved model, then its fallbacks, until one answers. A model is given up (for the next) only on a
    /// failure before the first byte reached the caller: no answer, timeout, 429, 5xx, or an open circuit.
    /// </summary>
    private static async Task DispatchAsync(HttpContext context, GatewayRequest request, GatewayFormat format, Func<ResolvedModel, Task<IResult?>> attempt)
    {
        IResult? failure = null;
        foreach (var candidate in request.Chain)
        {
            failure = await attempt(candidate);
            if (failure is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        await (failure ?? GatewayErrors.Write(format, 502, "No model could serve the request.")).ExecuteAsync(context);
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
