using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Cli.Tests.Support;

/// <summary>
/// A Modelgate server on a real loopback port (SQLite) and a way to run the tool against it in process, with its
/// own environment and config file so the machine's <c>~/.config/modelgate</c> is never read or written.
/// </summary>
public sealed class CliServer : IAsyncLifetime, IAsyncDisposable
{
    private TestDatabase _database = null!;
    private IReadOnlyDictionary<string, string?>? _settings;

    /// <summary>A server of its own on an empty database (with the given server settings), for a test that needs one.</summary>
    public static async Task<CliServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = new CliServer { _settings = settings };
        await server.InitializeAsync();
        return server;
    }

    /// <summary>The database's folder, for files a test writes next to it.</summary>
    public string Folder => _database.DataDirectory.Path;

    public ModelgateApp App { get; private set; } = null!;

    /// <summary>The server's root address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        App = new ModelgateApp(_database.Options, _database.DataDirectory.Path, _settings);
        App.UseKestrel(0);
        App.StartServer();
        Url = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        Admin = App.CreateAdminClient();
    }

    /// <summary>Runs the tool with the server's address and admin token in its environment.</summary>
    public Task<CliResult> RunAsync(params string[] args) =>
        RunWithAsync(new Dictionary<string, string?> { ["MODELGATE_URL"] = Url, ["MODELGATE_ADMIN_TOKEN"] = ModelgateApp.AdminToken },
            Path.Combine(_database.DataDirectory.Path, "no-config.yaml"), args);

    /// <summary>Runs the tool against this server with more environment variables (the keys a file refers to, say).</summary>
    public Task<CliResult> RunWithAsync(IReadOnlyDictionary<string, string?> variables, params string[] args)
    {
        var all = new Dictionary<string, string?>(variables) { ["MODELGATE_URL"] = Url, ["MODELGATE_ADMIN_TOKEN"] = ModelgateApp.AdminToken };
        return RunWithAsync(all, Path.Combine(_database.DataDirectory.Path, "no-config.yaml"), args);
    }

    /// <summary>Runs the tool with the given environment and config file.</summary>
    public static async Task<CliResult> RunWithAsync(IReadOnlyDictionary<string, string?> variables, string configPath, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Program.RunAsync(args, stdout, stderr, new CliEnvironment(variables, configPath));
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }
}
