using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// Resolves <c>model</c> (a purpose or a configured model) and its fallbacks in one read of the catalog
/// (<see cref="ModelResolver.ResolveChain"/>, as direct mode does), keeps the part of the chain the key may use
/// (<see cref="KeyAdmission.Chain"/>), and checks what the format needs from the resolved model. Sets
/// <see cref="Usage.GatewayCall.Request"/>.
/// </summary>
internal sealed class ResolveStep(GatewayServices services, GatewayFormat format) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var (body, requested) = context.Features.Get<CheckedBody>()!;
        var call = Usage.GatewayCall.Of(context)!;
        IReadOnlyList<ResolvedModel> resolved;
        try
        {
            resolved = services.Resolver.ResolveChain(requested);
        }
        catch (ModelgateConfigurationException e)
        {
            return GatewayErrors.Write(format, 404, e.Message, param: "model", code: "model_not_found");
        }

        var (chain, refusal) = KeyAdmission.Chain(call.Key!, requested, resolved);
        if (refusal is not null)
        {
            return GatewayErrors.Refused(format, refusal);
        }

        call.Request = new GatewayRequest(body, call.Key!, chain![0], requested, chain);
        // Anthropic's API requires max_tokens: refused here, in its format, unless the model has a default.
        if (format == GatewayFormat.Anthropic && AnthropicPassthrough.Missing(body, chain[0]) is { } field)
        {
            return GatewayErrors.Write(format, 400, $"{field}: Field required", param: field);
        }

        return await next(invocation);
    }
}
