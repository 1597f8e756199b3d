using YamlDotNet.Serialization;

namespace Modelgate.Cli.Connection;

/// <summary>One named server: its address and admin token.</summary>
public sealed class CliContextEntry
{
    /// <summary>The server's root address.</summary>
    [YamlMember(Alias = "url")]
    public string? Url { get; set; }

    /// <summary>The admin token.</summary>
    [YamlMember(Alias = "token")]
    public string? Token { get; set; }
}
