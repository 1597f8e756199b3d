using Modelgate.Core.Pipeline;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// The caller's virtual key (<see cref="GatewayCaller"/>): known, active, not expired, and within its budget
/// (<see cref="KeyAdmission"/>, as in direct mode). Sets <see cref="Usage.GatewayCall.Key"/>.
/// </summary>
internal sealed class AuthenticateStep(GatewayServices services, GatewayFormat format) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var (key, error) = GatewayCaller.Authenticate(context, services.Catalog, format, services.Time);
        if (error is not null)
        {
            return error;
        }

        Usage.GatewayCall.Of(context)!.Key = key;
        if (KeyAdmission.WithinBudget(services.Spend.StateOf(key!), services.Time.GetUtcNow()) is { } overBudget)
        {
            return GatewayErrors.Refused(format, overBudget);
        }

        return await next(invocation);
    }
}
