using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Server.Tests.Clients;

/// <summary>A Modelgate server on a real loopback port (the npm clients run in their own processes), on SQLite.</summary>
public sealed class GatewayOnAPort : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public ModelgateApp App { get; private set; } = null!;

    /// <summary>The server's root address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        App = new ModelgateApp(_database.Options, _database.DataDirectory.Path);
        App.UseKestrel(0);
        App.StartServer();
        Url = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        Admin = App.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }
}
