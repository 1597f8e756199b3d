using Modelgate.Core.Catalog;

namespace Modelgate.Core.Providers.Anthropic;

/// <summary>Anthropic's Messages API, through the official Anthropic SDK; the key goes in <c>x-api-key</c>.</summary>
internal static class AnthropicKind
{
    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "anthropic",
        Label = "Anthropic",
        Protocol = ProviderProtocol.Anthropic,
        Adapter = new AnthropicAdapter(),
        TelemetryName = "anthropic",
        DefaultBaseUrl = AnthropicEndpoint.DefaultRoot,
        RequiresApiKey = true,
        KeyHeader = "x-api-key",
        KeyVariable = "ANTHROPIC_API_KEY",
        BaseUrlVariable = "ANTHROPIC_BASE_URL",
        Prices = AnthropicPrices.List,
        Form = new(AnthropicEndpoint.DefaultRoot, "Leave empty for Anthropic's public API.", "An Anthropic API key (sk-ant-…)."),
    };
}
