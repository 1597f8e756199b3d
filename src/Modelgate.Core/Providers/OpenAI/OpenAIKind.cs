using Modelgate.Core.Catalog;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>
/// OpenAI through the official OpenAI SDK. The gateway asks its streams for usage and writes a model's default token
/// limit as <c>max_completion_tokens</c> (the only name its reasoning models accept).
/// </summary>
internal static class OpenAIKind
{
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "openai",
        Label = "OpenAI",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "openai",
        DefaultBaseUrl = DefaultBaseUrl,
        RequiresApiKey = true,
        MaxTokensField = "max_completion_tokens",
        AsksStreamUsage = true,
        KeyVariable = "OPENAI_API_KEY",
        BaseUrlVariable = "OPENAI_BASE_URL",
        ServesResponses = true,
        Prices = OpenAIPrices.List,
        Form = new(DefaultBaseUrl, "Leave empty for OpenAI's public API.", "An OpenAI API key (sk-…)."),
    };
}
