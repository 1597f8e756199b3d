using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Forwards an OpenAI-format request to a provider that speaks the OpenAI API, rewriting only the model and the
/// credentials (and filling the model's default parameters the caller left unset); every other field survives.
/// The answer streams back as it arrives, byte for byte.
/// </summary>
internal sealed class OpenAIPassthrough(HttpMessageInvoker upstream, ProviderResilience resilience, GatewayOptions options)
{
    public static bool Serves(ProviderKind kind) => kind.Protocol == ProviderProtocol.OpenAI;

    /// <summary>
    /// Opens one model of the chain: the provider's answer to relay, or an exception the next model may take over (see
    /// <see cref="UpstreamResponse.SendAsync"/>). <paramref name="beforeFirstByte"/> is the request's deadline for a first byte.
    /// </summary>
    public async Task<GatewayAnswer> OpenAsync(HttpContext context, GatewayRequest request, ResolvedModel resolved, string path, CancellationToken beforeFirstByte)
    {
        // Every OpenAI-protocol kind has a default address or requires a base_url; a provider stored without one (a type
        // this version does not know reads as openai-compatible) is refused, never sent to a default elsewhere.
        var kind = resolved.Provider.Kind;
        if (resolved.BaseUrl is not { } address)
        {
            return GatewayAnswer.Error(GatewayErrors.Write(GatewayFormat.OpenAI, 502,
                $"Provider '{resolved.Provider.Name}' has no base_url; an administrator should set one.", code: "upstream_error"));
        }

        var baseUrl = address.TrimEnd('/');
        // A stream's tokens come in its last chunk only when asked for: the gateway asks kinds documented to accept the
        // field, and drops that chunk again for a caller who did not. Others may refuse it (strict schemas, older Azure
        // API versions): without the caller asking, their streams' tokens are counted with the tokenizer.
        var streaming = path != "embeddings" && request.Body["stream"] is JsonValue stream && stream.TryGetValue(out bool on) && on;
        var askUsage = streaming && !request.CallerAsksStreamUsage && kind.AsksStreamUsage;
        var json = ForwardedBody.Write(request.Body, resolved.Model.ModelId, path == "embeddings" ? [] : Defaults(request.Body, resolved), askUsage, kind);
        HttpRequestMessage Build()
        {
            var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/{path}") { Content = ForwardedBody.Content(json) };
            if (resolved.ApiKey is { } key)
            {
                kind.Authorize(message, key);
            }

            return message;
        }

        var response = await UpstreamResponse.SendAsync(context, upstream, resilience, resolved, Build, GatewayFormat.OpenAI, beforeFirstByte);
        var usage = path == "embeddings" ? UsageRule.OpenAIEmbeddings : UsageRule.OpenAIChat;
        return new GatewayAnswer(caller => UpstreamResponse.RelayAsync(caller, response, resolved, GatewayFormat.OpenAI, options, usage, dropUsageChunk: askUsage), response);
    }

    // The model's defaults; the caller's own values always win (ForwardedBody writes only the missing ones).
    private static (string Name, double? Value)[] Defaults(JsonObject body, ResolvedModel resolved)
    {
        var defaults = resolved.Parameters;
        if (defaults.Temperature is null && defaults.TopP is null && defaults.MaxTokens is null)
        {
            return [];
        }

        // A token limit the caller set under either name is the caller's.
        var maxTokens = body.ContainsKey("max_tokens") || body.ContainsKey("max_completion_tokens") ? null : defaults.MaxTokens;
        return
        [
            ("temperature", defaults.Temperature),
            ("top_p", defaults.TopP),
            (resolved.Provider.Kind.MaxTokensField, maxTokens),
        ];
    }
}
