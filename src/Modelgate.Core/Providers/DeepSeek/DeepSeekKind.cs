using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.DeepSeek;

/// <summary>
/// DeepSeek's OpenAI-compatible API. It documents <c>stream_options.include_usage</c> and <c>max_tokens</c>; its usage
/// reports cache hits as <c>prompt_tokens_details.cached_tokens</c> as well as its own <c>prompt_cache_hit_tokens</c>.
/// </summary>
internal static class DeepSeekKind
{
    public const string DefaultBaseUrl = "https://api.deepseek.com/v1";

    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "deepseek",
        Label = "DeepSeek",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "deepseek",
        DefaultBaseUrl = DefaultBaseUrl,
        RequiresApiKey = true,
        AsksStreamUsage = true,
        KeyVariable = "DEEPSEEK_API_KEY",
        Form = new(DefaultBaseUrl, "Leave empty for DeepSeek's public API.", "A DeepSeek API key (sk-…)."),
    };
}
