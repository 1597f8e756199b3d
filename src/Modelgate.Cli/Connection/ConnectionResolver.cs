namespace Modelgate.Cli.Connection;

/// <summary>
/// Finds the server and token: flags first, then <c>MODELGATE_URL</c> / <c>MODELGATE_ADMIN_TOKEN</c>, then the
/// named (or current) context of the config file. Each of the two is looked up on its own.
/// </summary>
public sealed class ConnectionResolver(CliEnvironment environment)
{
    /// <summary>The settings to use, or a <see cref="CliException"/> saying what is missing.</summary>
    public ConnectionSettings Resolve(string? urlFlag, string? tokenFlag, string? contextFlag)
    {
        var context = FindContext(contextFlag);
        var url = urlFlag ?? environment.Get("MODELGATE_URL") ?? context?.Url;
        var token = tokenFlag ?? environment.Get("MODELGATE_ADMIN_TOKEN") ?? context?.Token;
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new CliException("No server address: pass --url, set MODELGATE_URL, or add a context with 'modelgate context set'.");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new CliException("No admin token: pass --token, set MODELGATE_ADMIN_TOKEN, or add a context with 'modelgate context set'.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"'{url}' is not an http or https address.");
        }

        return new ConnectionSettings(uri, token);
    }

    private CliContextEntry? FindContext(string? name)
    {
        var config = new CliConfigFile(environment.ConfigPath).Load();
        var chosen = name ?? config.CurrentContext;
        if (chosen is null)
        {
            return null;
        }

        return config.Contexts.TryGetValue(chosen, out var entry)
            ? entry
            : name is null ? null : throw new CliException($"No context '{chosen}' in {environment.ConfigPath}.");
    }
}
