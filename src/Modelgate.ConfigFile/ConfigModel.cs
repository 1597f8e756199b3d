namespace Modelgate.ConfigFile;

/// <summary>A model in the file, named <c>provider/model_id</c>, with its defaults, prices and limits.</summary>
public sealed record ConfigModel
{
    /// <summary><c>provider/model_id</c>: the provider's name in this file, then the upstream model name.</summary>
    public string? Model { get; init; }

    public string? DisplayName { get; init; }

    /// <summary><c>chat</c> (the default) or <c>embedding</c>.</summary>
    public string? Type { get; init; }

    public bool Active { get; init; } = true;

    public ConfigParameters? Parameters { get; init; }

    public ConfigPrices? Prices { get; init; }

    public int? ContextWindow { get; init; }

    public int? EmbeddingDimensions { get; init; }

    public ConfigLimits? Limits { get; init; }
}
