using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.Vllm;

/// <summary>
/// A vLLM server's OpenAI-compatible API (<c>vllm serve</c>): self-hosted, so the base URL is required and the key is
/// needed only when the server was started with <c>--api-key</c>. vLLM accepts <c>stream_options.include_usage</c>.
/// </summary>
internal static class VllmKind
{
    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "vllm",
        Label = "vLLM",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(keyPlaceholder: "no-key"),
        TelemetryName = "openai_compatible",
        AsksStreamUsage = true,
        Form = new(
            "http://localhost:8000/v1",
            "Required: the server's address with /v1 (vllm serve listens on port 8000).",
            "Only if the server was started with --api-key."),
    };
}
