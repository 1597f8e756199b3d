namespace Modelgate.ConfigFile;

/// <summary>
/// A Modelgate configuration file: providers, models, defaults per purpose, fallbacks, aliases and experiments, each
/// known by its name (a model as <c>provider/model_id</c>). Virtual keys are not part of it: they are secrets.
/// </summary>
public sealed record ConfigDocument
{
    /// <summary>The file format's version; 1.</summary>
    public int Version { get; init; } = 1;

    public IReadOnlyList<ConfigProvider> Providers { get; init; } = [];

    public IReadOnlyList<ConfigModel> Models { get; init; } = [];

    /// <summary>Purpose (<c>chat</c>, <c>agents/researcher</c>) → model (<c>provider/model_id</c>).</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; init; } = new Dictionary<string, string>();

    /// <summary>Purpose → the models to try after its default, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fallbacks { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Alias name → its target.</summary>
    public IReadOnlyDictionary<string, ConfigAlias> Aliases { get; init; } = new Dictionary<string, ConfigAlias>();

    /// <summary>A/B experiments between models, each known by its name: their definitions, never their run state.</summary>
    public IReadOnlyList<ConfigExperiment> Experiments { get; init; } = [];
}
