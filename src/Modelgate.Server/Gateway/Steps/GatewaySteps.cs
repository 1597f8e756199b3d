using Modelgate.Core.Usage;

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
        .AddEndpointFilterFactory((factory, next) => Step(next, new ResolveStep(Services(factory), format, operation, needsMaxTokens: true)));

    /// <summary>
    /// The steps of Anthropic's count_tokens: those of <c>/v1/messages</c> (authenticated, bounded, checked, resolved within
    /// the key's allow-lists) without the usage record — counting is no model call and costs nothing — and without
    /// max_tokens, which the count does not take.
    /// </summary>
    public static RouteHandlerBuilder WithTokenCountSteps(this RouteHandlerBuilder route) => route
        .AddEndpointFilterFactory((factory, next) => Step(next, new ConcurrencyStep(Services(factory).Concurrency, GatewayFormat.Anthropic)))
        .AddEndpointFilterFactory((factory, next) => Step(next, new UnrecordedCallStep(Services(factory))))
        .AddEndpointFilterFactory((factory, next) => Step(next, new AuthenticateStep(Services(factory), GatewayFormat.Anthropic)))
        .AddEndpointFilterFactory((factory, next) => Step(next, new ReadBodyStep(GatewayFormat.Anthropic, UsageOperations.Chat)))
        .AddEndpointFilterFactory((factory, next) =>
            Step(next, new ResolveStep(Services(factory), GatewayFormat.Anthropic, UsageOperations.Chat, needsMaxTokens: false, copiesToShadows: false)));

    /// <summary>The Responses API's continuation of kept calls (<see cref="ContinueStep"/>), after the steps above.</summary>
    public static RouteHandlerBuilder WithContinuation(this RouteHandlerBuilder route) => route
        .AddEndpointFilterFactory((factory, next) => Step(next, new ContinueStep(factory.ApplicationServices.GetRequiredService<ResponsesHistory>())));

    private static GatewayServices Services(EndpointFilterFactoryContext factory) => factory.ApplicationServices.GetRequiredService<GatewayServices>();

    private static EndpointFilterDelegate Step(EndpointFilterDelegate next, IEndpointFilter step) => invocation => step.InvokeAsync(invocation, next);
}
