using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Forwards an Anthropic Messages request to an Anthropic provider, rewriting only the model and the credentials
/// (and filling the model's default max_tokens and sampling parameters the caller left out); the event stream
/// relays as it arrives.
/// </summary>
internal sealed class AnthropicPassthrough(HttpMessageInvoker upstream, ProviderResilience resilience, GatewayOptions options)
{
    private const string DefaultVersion = "2023-06-01";

    /// <summary>
    /// Opens one model of the chain: the provider's answer to relay, or an exception the next model may take over (see
    /// <see cref="UpstreamResponse.SendAsync"/>). <paramref name="beforeFirstByte"/> is the request's deadline for a first byte.
    /// </summary>
    public async Task<GatewayAnswer> OpenAsync(HttpContext context, GatewayRequest request, Core.Resolution.ResolvedModel resolved, CancellationToken beforeFirstByte)
    {
        var json = ForwardedBody.Write(request.Body, resolved.Model.ModelId, Defaults(request.Body, resolved));
        var build = Requests(context, resolved, "/v1/messages", json);
        var response = await UpstreamResponse.SendAsync(context, upstream, resilience, resolved, build, GatewayFormat.Anthropic, beforeFirstByte);
        return new GatewayAnswer(caller => UpstreamResponse.RelayAsync(caller, response, resolved, GatewayFormat.Anthropic, options, UsageRule.Anthropic), response);
    }

    public static bool Serves(ProviderKind kind) => kind.Protocol == ProviderProtocol.Anthropic;

    /// <summary>
    /// Builds the provider's request to <paramref name="path"/> of its API, afresh for each attempt: the body, the
    /// provider's key, and the caller's <c>anthropic-version</c> (else the default) and <c>anthropic-beta</c>.
    /// </summary>
    public static Func<HttpRequestMessage> Requests(HttpContext context, Core.Resolution.ResolvedModel resolved, string path, byte[] json)
    {
        var url = Core.Providers.Anthropic.AnthropicEndpoint.RootUrl(resolved.BaseUrl) + path;
        var version = context.Request.Headers["anthropic-version"].FirstOrDefault() ?? DefaultVersion;
        var beta = context.Request.Headers["anthropic-beta"].FirstOrDefault();
        return () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = ForwardedBody.Content(json) };
            resolved.Provider.Kind.Authorize(message, resolved.ApiKey ?? "");
            message.Headers.Add("anthropic-version", version);
            if (beta is not null)
            {
                message.Headers.Add("anthropic-beta", beta);
            }

            return message;
        };
    }

    // The model's defaults the caller left out. Recent Claude models refuse temperature and top_p together, so a
    // sampling default is added only when the caller set neither, and top_p only when there is no temperature.
    private static (string Name, double? Value)[] Defaults(JsonObject body, Core.Resolution.ResolvedModel resolved)
    {
        var defaults = resolved.Parameters;
        var callerSamples = body.ContainsKey("temperature") || body.ContainsKey("top_p");
        return
        [
            ("max_tokens", defaults.MaxTokens),
            ("temperature", callerSamples ? null : defaults.Temperature),
            ("top_p", callerSamples || defaults.Temperature is not null ? null : defaults.TopP),
        ];
    }

    /// <summary>Anthropic requires max_tokens; refuse early, in Anthropic's format, if neither the caller nor the model sets it.</summary>
    public static string? Missing(JsonObject body, Core.Resolution.ResolvedModel resolved) =>
        body.ContainsKey("max_tokens") || resolved.Parameters.MaxTokens is not null ? null : "max_tokens";
}
