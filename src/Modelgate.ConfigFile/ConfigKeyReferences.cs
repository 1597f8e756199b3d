namespace Modelgate.ConfigFile;

/// <summary>
/// Turns the key references of a document (<c>env:OPENAI_API_KEY</c>, <c>file:/run/secrets/openai</c>) into the keys
/// themselves, for whoever applies the file: the CLI, or the server applying <c>MODELGATE_CONFIG_FILE</c>. A value
/// that is not a reference is refused: a key is never written in the file.
/// </summary>
public static class ConfigKeyReferences
{
    /// <summary>The environment variable a provider's key is referred to by: its name upper-cased, other characters as <c>_</c>, then <c>_API_KEY</c>.</summary>
    public static string VariableFor(string providerName) =>
        new string([.. providerName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]) + "_API_KEY";

    /// <summary>What is said of an <c>api_key</c> that is not a reference (never the value: it may be a key).</summary>
    public const string NotAReference = "api_key must be a reference, env:NAME or file:/path; a key is never written in the file";

    /// <summary>Whether a value is a key reference (<c>env:</c> or <c>file:</c>) rather than, perhaps, a key.</summary>
    public static bool IsReference(string value) =>
        value.StartsWith("env:", StringComparison.Ordinal) || value.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>Each provider's key by provider name, and an error by path for each reference that cannot be resolved.</summary>
    /// <param name="document">The document whose providers' <c>api_key</c> references are resolved.</param>
    /// <param name="variable">Reads an environment variable (null when unset).</param>
    /// <param name="folder">Where a relative <c>file:</c> path starts: the configuration file's folder.</param>
    /// <param name="forbidden">A folder no <c>file:</c> reference may read from (the server's data folder), or null.</param>
    public static (IReadOnlyDictionary<string, string> Keys, IReadOnlyList<(string Path, string Message)> Errors) Resolve(
        ConfigDocument document, Func<string, string?> variable, string folder, string? forbidden = null)
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

            var (key, error) = ResolveOne(reference, variable, folder, forbidden);
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

    private static (string? Key, string? Error) ResolveOne(string reference, Func<string, string?> variable, string folder, string? forbidden)
    {
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = reference[4..];
            if (name.Length == 0)
            {
                return (null, "env: needs the name of an environment variable (env:OPENAI_API_KEY)");
            }

            if (name.StartsWith("MODELGATE_", StringComparison.OrdinalIgnoreCase))
            {
                // Modelgate's own settings (the admin token, the master key) are never a provider's key: a file that
                // could name them could send them to any base_url.
                return (null, $"env:{name} names one of Modelgate's own settings, never a provider's key");
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

            var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folder, path));
            if (forbidden is not null && (full + Path.DirectorySeparatorChar).StartsWith(Path.GetFullPath(forbidden).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return (null, $"the file {path} is in Modelgate's data folder (its master key, database), never a provider's key");
            }

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
        return (null, NotAReference);
    }
}
