namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// The Responses API's last step: a call that continues an earlier one (<c>previous_response_id</c>, <c>item_reference</c>
/// items) gets the kept items they stand for in its input (<see cref="ResponsesHistory.ExpandAsync"/>), before anything
/// is counted or sent, so every provider sees the whole conversation; one that cannot be continued is a 400.
/// </summary>
internal sealed class ContinueStep(ResponsesHistory history) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var call = Usage.GatewayCall.Of(context)!;
        return await history.ExpandAsync(context, call.Request!.Body, call.Key!, context.RequestAborted) is { } refused
            ? refused
            : await next(invocation);
    }
}
