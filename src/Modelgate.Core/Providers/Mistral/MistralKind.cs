using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.Mistral;

/// <summary>
/// Mistral AI's OpenAI-compatible API. It refuses fields it does not know with 422 ("Extra inputs are not permitted"),
/// <c>stream_options</c> and <c>max_completion_tokens</c> among them: neither is ever sent to it (a caller's or the
/// OpenAI SDK's token limit goes as <c>max_tokens</c>, stream options are left out), and the gateway never asks for
/// stream usage: Mistral puts the usage in a stream's last chunk by itself.
/// </summary>
internal static class MistralKind
{
    public const string DefaultBaseUrl = "https://api.mistral.ai/v1";

    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "mistral",
        Label = "Mistral AI",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "mistral_ai",
        DefaultBaseUrl = DefaultBaseUrl,
        RequiresApiKey = true,
        RefusedFields = ["stream_options", "max_completion_tokens"],
        KeyVariable = "MISTRAL_API_KEY",
        Form = new(DefaultBaseUrl, "Leave empty for Mistral's public API.", "A Mistral API key (La Plateforme)."),
    };
}
