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

    /// <summary>The kind serves OpenAI's Responses API itself: a Responses request passes through (else it is translated).</summary>
    public static bool ServesResponses(ProviderKind kind) => Serves(kind) && kind.ServesResponses;

    /// <summary>
    /// Opens one model of the chain at <paramref name="path"/> (<c>chat/completions</c>, <c>embeddings</c> or
    /// <c>responses</c>): the provider's answer to relay, or an exception the next model may take over (see
    /// <see cref="UpstreamResponse.SendAsync"/>). <paramref name="beforeFirstByte"/> is the request's deadline for a first byte.
    /// </summary>
    public async Task<GatewayAnswer> OpenAsync(HttpContext context, GatewayRequest request, ResolvedModel resolved, string path, CancellationToken beforeFirstByte)
    {
        // Every OpenAI-protocol kind has a default address or requires a base_url; a provider stored without one (a type
        // this version does not know reads as openai-compatible) is refused, never sent to a default elsewhere.
        var kind = resolved.Provider.Kind;
        var (format, usage) = path switch
        {
            "embeddings" => (GatewayFormat.OpenAI, UsageRule.OpenAIEmbeddings),
            "responses" => (GatewayFormat.Responses, UsageRule.OpenAIResponses),
            _ => (GatewayFormat.OpenAI, UsageRule.OpenAIChat),
        };
        if (resolved.BaseUrl is not { } address)
        {
            return GatewayAnswer.Error(GatewayErrors.Write(format, 502,
                $"Provider '{resolved.Provider.Name}' has no base_url; an administrator should set one.", code: "upstream_error"));
        }

        var baseUrl = address.TrimEnd('/');
        // A stream's tokens come in its last chunk only when asked for: the gateway asks kinds documented to accept the
        // field, and drops that chunk again for a caller who did not. Others may refuse it (strict schemas, older Azure
        // API versions): without the caller asking, their streams' tokens are counted with the tokenizer. A Responses
        // stream always ends with its usage.
        var streaming = usage == UsageRule.OpenAIChat && request.Body["stream"] is JsonValue stream && stream.TryGetValue(out bool on) && on;
        var askUsage = streaming && !request.CallerAsksStreamUsage && kind.AsksStreamUsage;
        var json = ForwardedBody.Write(request.Body, resolved.Model.ModelId, usage == UsageRule.OpenAIEmbeddings ? [] : Defaults(request.Body, resolved, usage), askUsage, kind);
        HttpRequestMessage Build()
        {
            var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/{path}") { Content = ForwardedBody.Content(json) };
            if (resolved.ApiKey is { } key)
            {
                kind.Authorize(message, key);
            }

            return message;
        }

        var response = await UpstreamResponse.SendAsync(context, upstream, resilience, resolved, Build, format, beforeFirstByte);
        return new GatewayAnswer(caller => UpstreamResponse.RelayAsync(caller, response, resolved, format, options, usage, dropUsageChunk: askUsage), response);
    }

    // The model's defaults; the caller's own values always win (ForwardedBody writes only the missing ones).
    private static (string Name, double? Value)[] Defaults(JsonObject body, ResolvedModel resolved, UsageRule usage)
    {
        var defaults = resolved.Parameters;
        if (defaults.Temperature is null && defaults.TopP is null && defaults.MaxTokens is null)
        {
            return [];
        }

        // A token limit the caller set under either name is the caller's; the Responses API has one name of its own.
        var (maxTokensField, callerSet) = usage == UsageRule.OpenAIResponses
            ? ("max_output_tokens", body.ContainsKey("max_output_tokens"))
            : (resolved.Provider.Kind.MaxTokensField, body.ContainsKey("max_tokens") || body.ContainsKey("max_completion_tokens"));
        return
        [
            ("temperature", defaults.Temperature),
            ("top_p", defaults.TopP),
            (maxTokensField, callerSet ? null : defaults.MaxTokens),
        ];
    }
}
