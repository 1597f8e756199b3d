using System.Text.Json;
using System.Text.Json.Nodes;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// Reads the body, bounded by <see cref="MaxBodyBytes"/>, and checks it before anything is resolved or sent: one JSON
/// object without duplicate fields, nothing that would redirect traffic or credentials (<see cref="HostileFields"/>),
/// the fields the endpoint cannot do without (<see cref="RequestShape"/>) and a <c>model</c>. So a request that no
/// provider could take is a 400 whatever state the providers are in. Sets the <see cref="CheckedBody"/> feature.
/// </summary>
internal sealed class ReadBodyStep(GatewayFormat format, string operation) : IEndpointFilter
{
    public const int MaxBodyBytes = 20 * 1024 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var (body, error) = await ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (HostileFields.Find(body!) is { } path)
        {
            return GatewayErrors.Write(format, 400, $"'{path}' is not accepted: where requests go and which credentials they use is configured in Modelgate, not in the request.", param: path[2..]);
        }

        if (RequestShape.Problem(body!, format, operation) is { } problem)
        {
            return GatewayErrors.Write(format, 400, problem.Message, param: problem.Param);
        }

        if (body!["model"] is not JsonValue modelValue || !modelValue.TryGetValue(out string? requested) || string.IsNullOrWhiteSpace(requested))
        {
            return GatewayErrors.Write(format, 400, "'model' is required: a purpose (chat, agents, embeddings, agents/<type>) or a configured model (GET /v1/models).", param: "model");
        }

        context.Features.Set(new CheckedBody(body, requested));
        return await next(invocation);
    }

    private async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpContext context)
    {
        var tooLarge = GatewayErrors.Write(format, 413, $"The request body is over the gateway's limit of {MaxBodyBytes} bytes.");
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, tooLarge);
        }

        JsonNode? node;
        try
        {
            using var read = await PooledBytes.ReadAsync(context.Request.Body, context.Request.ContentLength, MaxBodyBytes, truncate: false, context.RequestAborted);
            if (read is not { } bytes)
            {
                return (null, tooLarge);
            }

            node = JsonNode.Parse(bytes.Memory.Span, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return (null, GatewayErrors.Write(format, 400, $"The request body is not valid JSON (line {(e.LineNumber ?? 0) + 1})."));
        }

        return node is JsonObject body ? (body, null) : (null, GatewayErrors.Write(format, 400, "The request body must be a JSON object."));
    }
}
