namespace Modelgate.ConfigFile;

/// <summary>
/// A provider in the file. <see cref="ApiKey"/> is a reference, never a value: <c>env:OPENAI_API_KEY</c> or
/// <c>file:/run/secrets/openai</c>, resolved by whoever applies the file; absent for a provider that needs no key.
/// </summary>
public sealed record ConfigProvider
{
    public string? Name { get; init; }

    /// <summary>The provider kind: <c>anthropic</c>, <c>openai</c>, <c>azure-openai</c>, <c>ollama</c>, <c>openai-compatible</c>, ….</summary>
    public string? Type { get; init; }

    public string? BaseUrl { get; init; }

    public string? ApiKey { get; init; }

    public bool Active { get; init; } = true;

    public ConfigLimits? Limits { get; init; }
}
