using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Forwards an Anthropic Messages request to an Anthropic provider, rewriting only the model and the credentials
/// (and filling the model's default max_tokens when the caller left it out); the event stream relays as it arrives.
/// </summary>
internal sealed class AnthropicPassthrough(HttpMessageInvoker upstream, GatewayOptions options)
{
    private const string DefaultVersion = "2023-06-01";

    public async Task ForwardAsync(HttpContext context, GatewayRequest request)
    {
        var resolved = request.Resolved;
        var body = request.Body;
        body["model"] = resolved.Model.ModelId;
        if (!body.ContainsKey("max_tokens") && resolved.Parameters.MaxTokens is { } maxTokens)
        {
            body["max_tokens"] = maxTokens;
        }

        var baseUrl = (resolved.BaseUrl ?? "https://api.anthropic.com").TrimEnd('/');
        baseUrl = baseUrl.EndsWith("/v1", StringComparison.Ordinal) ? baseUrl[..^3] : baseUrl;
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/v1/messages")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("x-api-key", resolved.ApiKey ?? "");
        message.Headers.Add("anthropic-version", context.Request.Headers["anthropic-version"].FirstOrDefault() ?? DefaultVersion);
        if (context.Request.Headers["anthropic-beta"].FirstOrDefault() is { } beta)
        {
            message.Headers.Add("anthropic-beta", beta);
        }

        await UpstreamResponse.RelayAsync(context, upstream, message, resolved, GatewayFormat.Anthropic, options, UsageRule.Anthropic);
    }

    public static bool Serves(ProviderKind kind) => kind == ProviderKind.Anthropic;

    /// <summary>Anthropic requires max_tokens; refuse early, in Anthropic's format, if neither the caller nor the model sets it.</summary>
    public static string? Missing(JsonObject body, Core.Resolution.ResolvedModel resolved) =>
        body.ContainsKey("max_tokens") || resolved.Parameters.MaxTokens is not null ? null : "max_tokens";
}
