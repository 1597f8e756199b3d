using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Forwards an OpenAI-format request to a provider that speaks the OpenAI API, rewriting only the model and the
/// credentials (and filling the model's default parameters the caller left unset); every other field survives.
/// The answer streams back as it arrives, byte for byte.
/// </summary>
internal sealed class OpenAIPassthrough(HttpMessageInvoker upstream, GatewayOptions options)
{
    public static bool Serves(ProviderKind kind) => kind is ProviderKind.OpenAI or ProviderKind.AzureOpenAI or ProviderKind.OpenAICompatible;

    public async Task ForwardAsync(HttpContext context, GatewayRequest request, string path)
    {
        var resolved = request.Resolved;
        var body = request.Body;
        body["model"] = resolved.Model.ModelId;
        ApplyDefaults(body, resolved);
        var baseUrl = (resolved.BaseUrl ?? "https://api.openai.com/v1").TrimEnd('/');
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/{path}")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (resolved.ApiKey is { } key)
        {
            if (resolved.Provider.Kind == ProviderKind.AzureOpenAI)
            {
                message.Headers.Add("api-key", key);
            }
            else
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        }

        await UpstreamResponse.RelayAsync(context, upstream, message, resolved, GatewayFormat.OpenAI, options, path == "embeddings" ? UsageRule.OpenAIEmbeddings : UsageRule.OpenAIChat);
    }

    // Only what the caller left out: its own values always win.
    private static void ApplyDefaults(JsonObject body, ResolvedModel resolved)
    {
        var defaults = resolved.Parameters;
        if (defaults.Temperature is { } temperature && !body.ContainsKey("temperature"))
        {
            body["temperature"] = temperature;
        }

        if (defaults.TopP is { } topP && !body.ContainsKey("top_p"))
        {
            body["top_p"] = topP;
        }

        if (defaults.MaxTokens is { } maxTokens && !body.ContainsKey("max_tokens") && !body.ContainsKey("max_completion_tokens") && !body.ContainsKey("input"))
        {
            body[resolved.Provider.Kind == ProviderKind.OpenAICompatible ? "max_tokens" : "max_completion_tokens"] = maxTokens;
        }
    }
}
