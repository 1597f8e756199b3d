using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// Gives the steps inside the call's state (<see cref="GatewayCall"/>: the key, the resolved request) without a usage
/// record, for an endpoint that asks no model anything billable (count_tokens): where <see cref="RecordStep"/> would stand.
/// </summary>
internal sealed class UnrecordedCallStep(GatewayServices services) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        // Never completed into a record: nothing is handed to the usage writer (GatewayCall.OnComplete is not set).
        var call = new GatewayCall(Core.Usage.UsageOperations.Chat, services.Time.GetUtcNow(), services.Catalog.State.Snapshot.Version);
        invocation.HttpContext.Features.Set(call);
        return next(invocation);
    }
}
