namespace Modelgate.Cli;

/// <summary>What the tool reads from its surroundings: environment variables and where the user's config file lives.</summary>
public sealed class CliEnvironment(IReadOnlyDictionary<string, string?> variables, string configPath)
{
    /// <summary>Environment variables (only those the tool reads need be present).</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; } = variables;

    /// <summary>The contexts file, normally <c>~/.config/modelgate/config.yaml</c>.</summary>
    public string ConfigPath { get; } = configPath;

    /// <summary>The process's environment; <c>MODELGATE_CONFIG</c> overrides the config file's place.</summary>
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string?>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return new CliEnvironment(variables, DefaultConfigPath(variables));
    }

    /// <summary>The config file under a home folder, honouring <c>MODELGATE_CONFIG</c> and <c>XDG_CONFIG_HOME</c>.</summary>
    public static string DefaultConfigPath(IReadOnlyDictionary<string, string?> variables)
    {
        if (variables.GetValueOrDefault("MODELGATE_CONFIG") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var configHome = variables.GetValueOrDefault("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "modelgate", "config.yaml");
    }

    /// <summary>A variable's value, or null when unset or empty.</summary>
    public string? Get(string name) => Variables.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;
}
