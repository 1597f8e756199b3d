namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// The steps every gateway call goes through before its endpoint, in this order (endpoint filters, the first added
/// outermost): <see cref="ConcurrencyStep"/> (room on this instance) → <see cref="RecordStep"/> (one usage record per
/// call, whatever happens inside) → <see cref="AuthenticateStep"/> (the virtual key, and its budget) →
/// <see cref="ReadBodyStep"/> (bounded, well-formed, nothing that redirects traffic, the shape the endpoint needs) →
/// <see cref="ResolveStep"/> (the model and its fallbacks, as far as the key may use them). The endpoint then runs the
/// pipeline and relays the answer (<see cref="GatewayDispatch"/>). Each step refuses in the caller's format and
/// before anything is asked of a provider.
/// </summary>
internal static class GatewaySteps
{
    public static RouteHandlerBuilder WithGatewaySteps(this RouteHandlerBuilder route, GatewayFormat format, string operation) => route
        .AddEndpointFilterFactory((factory, next) => Step(next, new ConcurrencyStep(Services(factory).Concurrency, format)))
        .AddEndpointFilterFactory((factory, next) => Step(next, new RecordStep(Services(factory), operation)))
        .AddEndpointFilterFactory((factory, next) => Step(next, new AuthenticateStep(Services(factory), format)))
        .AddEndpointFilterFactory((factory, next) => Step(next, new ReadBodyStep(format, operation)))
        .AddEndpointFilterFactory((factory, next) => Step(next, new ResolveStep(Services(factory), format)));

    /// <summary>The Responses API's continuation of kept calls (<see cref="ContinueStep"/>), after the steps above.</summary>
    public static RouteHandlerBuilder WithContinuation(this RouteHandlerBuilder route) => route
        .AddEndpointFilterFactory((factory, next) => Step(next, new ContinueStep(factory.ApplicationServices.GetRequiredService<ResponsesHistory>())));

    private static GatewayServices Services(EndpointFilterFactoryContext factory) => factory.ApplicationServices.GetRequiredService<GatewayServices>();

    private static EndpointFilterDelegate Step(EndpointFilterDelegate next, IEndpointFilter step) => invocation => step.InvokeAsync(invocation, next);
}
