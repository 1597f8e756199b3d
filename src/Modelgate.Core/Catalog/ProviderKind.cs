namespace Modelgate.Core.Catalog;

/// <summary>The kinds of LLM provider Modelgate can talk to, with their wire names.</summary>
public enum ProviderKind
{
    Anthropic,
    OpenAI,
    AzureOpenAI,
    Ollama,
    OpenAICompatible,
}

/// <summary>Converts <see cref="ProviderKind"/> to and from the names used in the API and the database.</summary>
public static class ProviderKinds
{
    private static readonly (ProviderKind Kind, string Name)[] Names =
    [
        (ProviderKind.Anthropic, "anthropic"),
        (ProviderKind.OpenAI, "openai"),
        (ProviderKind.AzureOpenAI, "azure-openai"),
        (ProviderKind.Ollama, "ollama"),
        (ProviderKind.OpenAICompatible, "openai-compatible"),
    ];

    /// <summary>All wire names, for error messages and documentation.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names.Select(n => n.Name)];

    public static string ToName(this ProviderKind kind) => Names.First(n => n.Kind == kind).Name;

    /// <summary>Kinds that cannot be called without a key (local and self-hosted endpoints may not need one).</summary>
    public static bool RequiresApiKey(this ProviderKind kind) => kind is ProviderKind.Anthropic or ProviderKind.OpenAI or ProviderKind.AzureOpenAI;

    public static bool TryParse(string? name, out ProviderKind kind)
    {
        foreach (var (k, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Azure OpenAI and generic OpenAI-compatible endpoints have no well-known address.</summary>
    public static bool RequiresBaseUrl(this ProviderKind kind) =>
        kind is ProviderKind.AzureOpenAI or ProviderKind.OpenAICompatible;
}
