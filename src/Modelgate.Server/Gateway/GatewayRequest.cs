using System.Text.Json;
using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway;

/// <summary>A gateway request read, checked and resolved: the JSON body, the caller's key and what it resolves to.</summary>
internal sealed record GatewayRequest(JsonObject Body, VirtualKey Key, ResolvedModel Resolved, string Requested, IReadOnlyList<ResolvedModel> Chain)
{
    public const int MaxBodyBytes = 20 * 1024 * 1024;

    /// <summary>
    /// Authenticates, reads the body (bounded), refuses fields that would redirect traffic or credentials, resolves
    /// <c>model</c> (a purpose or a configured model) and checks the key may use it. Every refusal is in the caller's format.
    /// </summary>
    public static async Task<(GatewayRequest? Request, IResult? Error)> ReadAsync(HttpContext context, GatewayFormat format, GatewayServices services, GatewayCall call)
    {
        var (key, authError) = GatewayCaller.Authenticate(context, services.Catalog, format, services.Time);
        if (authError is not null)
        {
            return (null, authError);
        }

        call.Key = key;
        if (KeyAdmission.WithinBudget(services.Spend.StateOf(key!), services.Time.GetUtcNow()) is { } overBudget)
        {
            return (null, GatewayErrors.Refused(format, overBudget));
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, GatewayErrors.Write(format, 413, $"The request body is over the gateway's limit of {MaxBodyBytes} bytes."));
        }

        JsonNode? node;
        try
        {
            using var read = await PooledBytes.ReadAsync(context.Request.Body, context.Request.ContentLength, MaxBodyBytes, truncate: false, context.RequestAborted);
            if (read is not { } bytes)
            {
                return (null, GatewayErrors.Write(format, 413, $"The request body is over the gateway's limit of {MaxBodyBytes} bytes."));
            }

            node = JsonNode.Parse(bytes.Memory.Span, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return (null, GatewayErrors.Write(format, 400, $"The request body is not valid JSON (line {(e.LineNumber ?? 0) + 1})."));
        }

        if (node is not JsonObject body)
        {
            return (null, GatewayErrors.Write(format, 400, "The request body must be a JSON object."));
        }

        if (HostileFields.Find(body) is { } path)
        {
            return (null, GatewayErrors.Write(format, 400, $"'{path}' is not accepted: where requests go and which credentials they use is configured in Modelgate, not in the request.", param: path[2..]));
        }

        if (body["messages"] is JsonArray { Count: > GatewayOptions.MaxMessages } many)
        {
            return (null, GatewayErrors.Write(format, 400, $"A request may carry at most {GatewayOptions.MaxMessages} messages; this one has {many.Count}.", param: "messages"));
        }

        if (body["model"] is not JsonValue modelValue || !modelValue.TryGetValue(out string? requested) || string.IsNullOrWhiteSpace(requested))
        {
            return (null, GatewayErrors.Write(format, 400, "'model' is required: a purpose (chat, agents, embeddings, agents/<type>) or a configured model (GET /v1/models).", param: "model"));
        }

        IReadOnlyList<ResolvedModel> resolvedChain;
        try
        {
            // One read of the catalog for the model and its fallbacks, so the allow check covers what will be called.
            resolvedChain = services.Resolver.ResolveChain(requested);
        }
        catch (ModelgateConfigurationException e)
        {
            return (null, GatewayErrors.Write(format, 404, e.Message, param: "model", code: "model_not_found"));
        }

        var (chain, refusal) = KeyAdmission.Chain(key!, requested, resolvedChain);
        if (refusal is not null)
        {
            return (null, GatewayErrors.Refused(format, refusal));
        }

        var request = new GatewayRequest(body, key!, chain![0], requested, chain);
        call.Request = request;
        return (request, null);
    }
}
