using System.Text.Json;
using Modelgate.Cli.Http;
using Modelgate.ConfigFile;

namespace Modelgate.Cli.ConfigAsCode;

/// <summary>
/// A configuration file (or folder) as the config commands send it: read with every error naming file, line, column
/// and field; its key references resolved from the environment or files; the server's refusals placed back on the
/// file's lines.
/// </summary>
internal sealed class ConfigInput
{
    private ConfigInput(ConfigSource source) => Source = source;

    public ConfigSource Source { get; }

    /// <summary>The file's (or folder's) own name, as the audit entry and messages show it.</summary>
    public string DisplayName => Source.DisplayName;

    /// <summary>Reads the file or folder; a file that cannot be read is a <see cref="CliException"/> listing every error.</summary>
    public static ConfigInput Load(string path)
    {
        var (source, errors) = ConfigFileReader.Load(path);
        if (source is null)
        {
            throw new CliException("the configuration file is not valid:" + string.Concat(errors.Select(e => $"\n  {e}")));
        }

        // A key written where a reference belongs is refused here, by every command, and never sent or echoed.
        var literal = source.Document.Providers.Select((p, i) => (p.ApiKey, Index: i))
            .Where(p => p.ApiKey is { } key && ConfigKeyReferences.Check(key) is not null)
            .Select(p => source.Locate($"providers[{p.Index}].api_key", ConfigKeyReferences.Check(p.ApiKey!)!)).ToList();
        if (literal.Count > 0)
        {
            throw new CliException("the configuration file is not valid:" + string.Concat(literal.Select(e => $"\n  {e}")));
        }

        return new ConfigInput(source);
    }

    /// <summary>
    /// The keys the file's references name, by provider. With <paramref name="required"/> a reference that cannot be
    /// resolved is an error (apply); otherwise it is left out and the server keeps the key it has (diff, drift), and
    /// <paramref name="unresolved"/> says which.
    /// </summary>
    public IReadOnlyDictionary<string, string> Keys(CliEnvironment environment, bool required, out IReadOnlyList<string> unresolved)
    {
        // Never the tool's own contexts (they hold admin tokens).
        var contexts = Path.GetDirectoryName(Path.GetFullPath(environment.ConfigPath)) ?? environment.ConfigPath;
        var (keys, errors) = ConfigKeyReferences.Resolve(Source.Document, environment.Get, Source.Folder, contexts);
        if (required && errors.Count > 0)
        {
            throw new CliException("the file's keys cannot be resolved:" + string.Concat(errors.Select(e => $"\n  {Source.Locate(e.Path, e.Message)}")));
        }

        unresolved = [.. errors.Select(e => Source.Locate(e.Path, e.Message).ToString())];
        return keys;
    }

    /// <summary>The keys that resolve here, for a plan (diff, drift): each one that does not is said on stderr and not compared.</summary>
    public async Task<IReadOnlyDictionary<string, string>> KeysForPlanAsync(CliRuntime cli)
    {
        var keys = Keys(cli.Environment, required: false, out var unresolved);
        foreach (var line in unresolved)
        {
            await cli.Error.WriteLineAsync($"note: {line}; that key is not compared");
        }

        return keys;
    }

    /// <summary>The request body of <c>/config/plan</c> and <c>/config/apply</c>.</summary>
    public object Body(IReadOnlyDictionary<string, string> keys, bool prune, long? basedOnVersion = null) => new Dictionary<string, object?>
    {
        ["document"] = ConfigJson.ToJson(Source.Document),
        ["keys"] = keys,
        ["prune"] = prune,
        ["source"] = DisplayName,
        ["sha256"] = Source.Sha256,
        ["based_on_version"] = basedOnVersion,
    };

    /// <summary>Posts to <c>config/plan</c> or <c>config/apply</c>; a refusal by path comes back placed on the file's lines.</summary>
    public async Task<JsonElement> SendAsync(AdminClient admin, string action, object body, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.SendAsync(HttpMethod.Post, $"config/{action}", body, cancellationToken);
        }
        catch (CliException e) when (e.Status == 400 && e.FieldErrors is { Count: > 0 } errors)
        {
            throw new CliException("the server refused the configuration file:" + string.Concat(
                errors.SelectMany(f => f.Value.Select(m => $"\n  {Source.Locate(f.Key, m)}"))));
        }
    }
}
