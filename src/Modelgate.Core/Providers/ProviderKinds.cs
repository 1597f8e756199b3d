using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.Anthropic;
using Modelgate.Core.Providers.AzureOpenAI;
using Modelgate.Core.Providers.Bedrock;
using Modelgate.Core.Providers.DeepSeek;
using Modelgate.Core.Providers.Gemini;
using Modelgate.Core.Providers.Groq;
using Modelgate.Core.Providers.Mistral;
using Modelgate.Core.Providers.Ollama;
using Modelgate.Core.Providers.OpenAI;
using Modelgate.Core.Providers.OpenAICompatible;
using Modelgate.Core.Providers.Vllm;

namespace Modelgate.Core.Providers;

/// <summary>Every provider kind Modelgate can talk to, by wire name. Adding a kind means adding its folder and one line here.</summary>
public static class ProviderKinds
{
    /// <summary>The kinds, in the order the console lists them.</summary>
    public static IReadOnlyList<ProviderKind> All { get; } =
    [
        OpenAIKind.Descriptor,
        AnthropicKind.Descriptor,
        AzureOpenAIKind.Descriptor,
        BedrockKind.Descriptor,
        GeminiKind.Descriptor,
        MistralKind.Descriptor,
        GroqKind.Descriptor,
        DeepSeekKind.Descriptor,
        OllamaKind.Descriptor,
        VllmKind.Descriptor,
        OpenAICompatibleKind.Descriptor,
    ];

    private static readonly FrozenDictionary<string, ProviderKind> ByName = All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>All wire names, for error messages and documentation.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. All.Select(k => k.Name)];

    public static bool TryParse(string? name, [NotNullWhen(true)] out ProviderKind? kind)
    {
        kind = name is null ? null : ByName.GetValueOrDefault(name);
        return kind is not null;
    }
}
