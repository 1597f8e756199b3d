using System.Collections.Frozen;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.Anthropic;
using Modelgate.Core.Providers.AzureOpenAI;
using Modelgate.Core.Providers.Ollama;
using Modelgate.Core.Providers.OpenAI;
using Modelgate.Core.Providers.OpenAICompatible;

namespace Modelgate.Core.Providers;

/// <summary>The adapter for each provider kind. Adding a kind means adding its folder and one line here.</summary>
public sealed class ProviderAdapters
{
    private readonly FrozenDictionary<ProviderKind, IProviderAdapter> _adapters;

    public ProviderAdapters(IEnumerable<IProviderAdapter> adapters) => _adapters = adapters.ToFrozenDictionary(a => a.Kind);

    public static ProviderAdapters Default { get; } = new(
    [
        new AnthropicAdapter(),
        new OpenAIAdapter(),
        new AzureOpenAIAdapter(),
        new OpenAICompatibleAdapter(),
        new OllamaAdapter(),
    ]);

    public IProviderAdapter For(ProviderKind kind) =>
        _adapters.TryGetValue(kind, out var adapter) ? adapter : throw new NotSupportedException($"No adapter for provider kind '{kind.ToName()}'.");
}
