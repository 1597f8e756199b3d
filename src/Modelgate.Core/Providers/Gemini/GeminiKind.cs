using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.Gemini;

/// <summary>
/// Google's Gemini API through its OpenAI-compatible endpoint, with a Gemini API key as a Bearer token. Google does
/// not document <c>stream_options</c> there (its streams carry usage by themselves), so the gateway does not ask.
/// </summary>
internal static class GeminiKind
{
    public const string DefaultBaseUrl = "https://generativelanguage.googleapis.com/v1beta/openai";

    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "gemini",
        Label = "Google Gemini (OpenAI-compatible)",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "gcp.gemini",
        DefaultBaseUrl = DefaultBaseUrl,
        RequiresApiKey = true,
        KeyVariable = "GEMINI_API_KEY",
        Form = new(DefaultBaseUrl, "Leave empty for the Gemini API's OpenAI-compatible endpoint.", "A Gemini API key (from Google AI Studio)."),
    };
}
