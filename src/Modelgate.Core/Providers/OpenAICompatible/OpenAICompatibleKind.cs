using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.OpenAICompatible;

/// <summary>
/// Any server speaking the OpenAI API (LM Studio, llama.cpp, ...) at its base_url. The key is optional. Such servers
/// may refuse fields they do not know, so the gateway writes <c>max_tokens</c> and does not ask streams for usage
/// (their tokens are counted with the tokenizer unless the caller asks).
/// </summary>
internal static class OpenAICompatibleKind
{
    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "openai-compatible",
        Label = "OpenAI-compatible",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(keyPlaceholder: "no-key"),
        TelemetryName = "openai_compatible",
        Form = new(
            "http://localhost:8080/v1",
            "Required: the server's OpenAI API root, usually ending in /v1.",
            "Only if the server asks for one (sent as a Bearer token)."),
    };
}
