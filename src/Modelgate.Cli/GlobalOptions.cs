using System.CommandLine;
using Modelgate.Cli.Output;

namespace Modelgate.Cli;

/// <summary>The options every command takes: where the server is, how to sign in, and how to print.</summary>
public sealed class GlobalOptions
{
    /// <summary>The server's root address.</summary>
    public Option<string?> Url { get; } = new("--url") { Description = "Server address (else MODELGATE_URL, else the context)", Recursive = true };

    /// <summary>The admin token.</summary>
    public Option<string?> Token { get; } = new("--token") { Description = "Admin token (else MODELGATE_ADMIN_TOKEN, else the context)", Recursive = true };

    /// <summary>A named context of the config file.</summary>
    public Option<string?> Context { get; } = new("--context") { Description = "Context of ~/.config/modelgate/config.yaml to use", Recursive = true };

    /// <summary>Tables for people, JSON or YAML for scripts.</summary>
    public Option<OutputFormat> Output { get; } = new("--output", "-o") { Description = "table, json or yaml", Recursive = true };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(Context);
        root.Options.Add(Output);
    }
}
