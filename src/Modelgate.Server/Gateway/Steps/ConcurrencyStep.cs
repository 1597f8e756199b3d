namespace Modelgate.Server.Gateway.Steps;

/// <summary>Past <see cref="GatewayOptions.MaxConcurrentRequests"/> calls in flight on this instance, a caller gets 429 at once (<see cref="GatewayConcurrency"/>).</summary>
internal sealed class ConcurrencyStep(GatewayConcurrency concurrency, GatewayFormat format) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        if (!concurrency.TryEnter())
        {
            return GatewayErrors.Write(format, 429, $"This Modelgate instance is serving its limit of {concurrency.Limit} requests at once; retry shortly.",
                code: "gateway_busy", retryAfter: TimeSpan.FromSeconds(1));
        }

        try
        {
            return await next(invocation);
        }
        finally
        {
            concurrency.Exit();
        }
    }
}
