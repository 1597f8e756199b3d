using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.Groq;

/// <summary>
/// GroqCloud's OpenAI-compatible API. Without <c>stream_options.include_usage</c> a stream's tokens come only in
/// Groq's own <c>x_groq.usage</c>; asked, Groq adds OpenAI's usage chunk, so the gateway asks. Groq takes
/// <c>max_completion_tokens</c> (its <c>max_tokens</c> is deprecated).
/// </summary>
internal static class GroqKind
{
    public const string DefaultBaseUrl = "https://api.groq.com/openai/v1";

    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "groq",
        Label = "Groq",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "groq",
        DefaultBaseUrl = DefaultBaseUrl,
        RequiresApiKey = true,
        MaxTokensField = "max_completion_tokens",
        AsksStreamUsage = true,
        KeyVariable = "GROQ_API_KEY",
        Form = new(DefaultBaseUrl, "Leave empty for GroqCloud's public API.", "A GroqCloud API key (gsk_…)."),
    };
}
