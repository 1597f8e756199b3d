using YamlDotNet.Serialization;

namespace Modelgate.Cli.Connection;

/// <summary>The user's config file: named contexts and the one in use.</summary>
public sealed class CliConfig
{
    /// <summary>The context used when none is named.</summary>
    [YamlMember(Alias = "current-context")]
    public string? CurrentContext { get; set; }

    /// <summary>Contexts by name.</summary>
    [YamlMember(Alias = "contexts")]
    public Dictionary<string, CliContextEntry> Contexts { get; set; } = [];
}
