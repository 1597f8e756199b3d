using System.Text.RegularExpressions;

namespace Modelgate.ConfigFile;

/// <summary>
/// Turns the key references of a document (<c>env:OPENAI_API_KEY</c>, <c>file:/run/secrets/openai</c>) into the keys
/// themselves, for whoever applies the file: the CLI, or the server applying <c>MODELGATE_CONFIG_FILE</c>. A value
/// that is not a reference is refused and never echoed: a key is never written in the file. <c>env:MODELGATE_*</c>
/// (Modelgate's own admin token and master key) is never a key, nor is a file under <c>/proc</c>, <c>/sys</c>,
/// <c>/dev</c> or a forbidden folder (the server's data folder, the CLI's contexts), symbolic links followed: whoever
/// writes the file could otherwise send those secrets to a <c>base_url</c> of their own.
/// </summary>
public static partial class ConfigKeyReferences
{
    /// <summary>What is said of an <c>api_key</c> that is not a reference (never the value: it may be a key).</summary>
    public const string NotAReference = "api_key must be a reference, env:NAME or file:/path; a key is never written in the file";

    private static readonly string[] SystemFolders = ["/proc", "/sys", "/dev"];

    /// <summary>
    /// The environment variable a provider's key is referred to by: its name upper-cased, other characters as <c>_</c>,
    /// then <c>_API_KEY</c>; never one of Modelgate's own (<c>MODELGATE_*</c>), which is prefixed <c>PROVIDER_</c>.
    /// </summary>
    public static string VariableFor(string providerName)
    {
        var variable = new string([.. providerName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]) + "_API_KEY";
        return variable.StartsWith("MODELGATE_", StringComparison.Ordinal) || !char.IsAsciiLetter(variable[0]) ? "PROVIDER_" + variable : variable;
    }

    /// <summary>Whether a value is a well-formed key reference (see <see cref="Check"/>).</summary>
    public static bool IsReference(string value) => Check(value) is null;

    /// <summary>
    /// Why a value is not a usable reference, or null: <c>env:</c> and a variable name (letters, digits, <c>_</c>; not
    /// <c>MODELGATE_*</c>), or <c>file:</c> and a path. The value itself is never part of the message.
    /// </summary>
    public static string? Check(string value)
    {
        if (value.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = value[4..];
            if (!VariableName().IsMatch(name))
            {
                return "env: needs the name of an environment variable (letters, digits and _; env:OPENAI_API_KEY)";
            }

            return name.StartsWith("MODELGATE_", StringComparison.OrdinalIgnoreCase) ? $"env:{name} names one of Modelgate's own settings, never a provider's key" : null;
        }

        if (value.StartsWith("file:", StringComparison.Ordinal))
        {
            return value.Length > 5 ? null : "file: needs a path (file:/run/secrets/openai)";
        }

        return NotAReference;
    }

    /// <summary>Each provider's key by provider name, and an error by path for each reference that cannot be resolved.</summary>
    /// <param name="document">The document whose providers' <c>api_key</c> references are resolved.</param>
    /// <param name="variable">Reads an environment variable (null when unset).</param>
    /// <param name="folder">Where a relative <c>file:</c> path starts: the configuration file's folder.</param>
    /// <param name="forbidden">Folders no <c>file:</c> reference may read from (the server's data folder, the CLI's contexts).</param>
    public static (IReadOnlyDictionary<string, string> Keys, IReadOnlyList<(string Path, string Message)> Errors) Resolve(
        ConfigDocument document, Func<string, string?> variable, string folder, params IReadOnlyList<string> forbidden)
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

    private static (string? Key, string? Error) ResolveOne(string reference, Func<string, string?> variable, string folder, IReadOnlyList<string> forbidden)
    {
        if (Check(reference) is { } invalid)
        {
            return (null, invalid);
        }

        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = reference[4..];
            return variable(name) is { Length: > 0 } value ? (value, null) : (null, $"the environment variable {name} is not set");
        }

        var path = reference[5..];
        try
        {
            var real = RealPath(Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folder, path)));
            if (SystemFolders.Concat(forbidden.Select(f => RealPath(Path.GetFullPath(f)))).Any(f => Under(real, f)))
            {
                return (null, $"the file {path} is in a folder no key is read from (the system's, Modelgate's data or contexts folder)");
            }

            var value = File.ReadAllText(real).Trim();
            return value.Length > 0 ? (value, null) : (null, $"the file {path} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"the file {path} cannot be read ({e.GetType().Name})");
        }
    }

    private static bool Under(string path, string folder)
    {
        var root = folder.TrimEnd(Path.DirectorySeparatorChar);
        return path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    // The path with every symbolic link along it followed, as the file system would (at most 40 links).
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var pending = new Queue<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        for (var links = 0; pending.Count > 0;)
        {
            var next = Path.Combine(current, pending.Dequeue());
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target && ++links <= 40)
            {
                var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
                var rest = pending.ToList();
                var resolvedRoot = Path.GetPathRoot(resolved) ?? "/";
                pending = new Queue<string>(resolved[resolvedRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = resolvedRoot;
                continue;
            }

            current = next;
        }

        return current;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
