using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Server.Tests.Support;

/// <summary>A running server on a fresh database, shared by the tests of one class.</summary>
public abstract class ServerFixture(DatabaseKind kind) : IAsyncLifetime
{
    public DatabaseKind Kind { get; } = kind;

    public TestDatabase Database { get; private set; } = null!;

    public ModelgateApp App { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Settings of the server beyond the test defaults (none unless a fixture says so).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(Kind);
        App = new ModelgateApp(Database.Options, Database.DataDirectory.Path, Settings);
        Admin = App.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class SqliteServer() : ServerFixture(DatabaseKind.Sqlite);

public sealed class PostgresServer() : ServerFixture(DatabaseKind.Postgres);
