using Modelgate.Core.Catalog;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Providers.Ollama;

/// <summary>Ollama's own API through OllamaSharp; the gateway translates every request. Local models cost an explicit zero.</summary>
internal static class OllamaKind
{
    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "ollama",
        Label = "Ollama",
        Protocol = ProviderProtocol.Ollama,
        Adapter = new OllamaAdapter(),
        TelemetryName = "ollama",
        DefaultBaseUrl = OllamaAdapter.DefaultBaseUrl,
        Prices = BuiltInPriceList.Free,
        Form = new(
            OllamaAdapter.DefaultBaseUrl,
            "Leave empty for a local Ollama on its default port.",
            "Usually none; a key is sent as a Bearer token."),
    };
}
