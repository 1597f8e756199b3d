namespace Modelgate.ConfigFile;

/// <summary>
/// Turns the key references of a document (<c>env:OPENAI_API_KEY</c>, <c>file:/run/secrets/openai</c>) into the keys
/// themselves, for whoever applies the file: the CLI, or the server applying <c>MODELGATE_CONFIG_FILE</c>. A value
/// that is not a reference is refused: a key is never written in the file.
/// </summary>
public static class ConfigKeyReferences
{
    /// <summary>Each provider's key by provider name, and an error by path for each reference that cannot be resolved.</summary>
    /// <param name="document">The document whose providers' <c>api_key</c> references are resolved.</param>
    /// <param name="variable">Reads an environment variable (null when unset).</param>
    /// <param name="folder">Where a relative <c>file:</c> path starts: the configuration file's folder.</param>
    public static (IReadOnlyDictionary<string, string> Keys, IReadOnlyList<(string Path, string Message)> Errors) Resolve(
        ConfigDocument document, Func<string, string?> variable, string folder)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<(string, string)>();
        for (var i = 0; i < document.Providers.Count; i++)
        {
            var provider = document.Providers[i];
            if (provider.ApiKey is not { } reference || provider.Name is not { } name)
            {
                continue;
            }

            var (key, error) = ResolveOne(reference, variable, folder);
            if (error is not null)
            {
                errors.Add(($"providers[{i}].api_key", error));
            }
            else
            {
                keys[name] = key!;
            }
        }

        return (keys, errors);
    }

    private static (string? Key, string? Error) ResolveOne(string reference, Func<string, string?> variable, string folder)
    {
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = reference[4..];
            if (name.Length == 0)
            {
                return (null, "env: needs the name of an environment variable (env:OPENAI_API_KEY)");
            }

            return variable(name) is { Length: > 0 } value ? (value, null) : (null, $"the environment variable {name} is not set");
        }

        if (reference.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = reference[5..];
            if (path.Length == 0)
            {
                return (null, "file: needs a path (file:/run/secrets/openai)");
            }

            var full = Path.IsPathRooted(path) ? path : Path.Combine(folder, path);
            try
            {
                var value = File.ReadAllText(full).Trim();
                return value.Length > 0 ? (value, null) : (null, $"the file {path} is empty");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"the file {path} cannot be read ({e.GetType().Name})");
            }
        }

        // Never echo the value: it may be a key written where a reference belongs.
        return (null, "api_key must be a reference, env:NAME or file:/path; a key is never written in the file");
    }
}
