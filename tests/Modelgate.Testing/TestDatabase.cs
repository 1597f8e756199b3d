using System.Data.Common;
using Microsoft.Data.Sqlite;
using Modelgate.Storage;
using Npgsql;

namespace Modelgate.Testing;

/// <summary>
/// A fresh, empty database for one test fixture: a SQLite file in a temp folder, or a new database on the
/// PostgreSQL server that test.sh started (MODELGATE_TEST_POSTGRES). PostgreSQL tests never skip: without the
/// server they fail and say how to run them.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "MODELGATE_TEST_POSTGRES";

    private readonly string? _postgresName;

    private TestDatabase(DatabaseOptions options, TempDirectory dataDirectory, string? postgresName)
    {
        Options = options;
        DataDirectory = dataDirectory;
        _postgresName = postgresName;
    }

    public DatabaseOptions Options { get; }

    /// <summary>The data folder that goes with the database (key file, SQLite file).</summary>
    public TempDirectory DataDirectory { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        var dataDirectory = new TempDirectory();
        if (kind == DatabaseKind.Sqlite)
        {
            return new TestDatabase(DatabaseOptions.From(null, dataDirectory.Path), dataDirectory, null);
        }

        var server = PostgresServer;
        var name = "mg_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(new DatabaseOptions(DatabaseKind.Postgres, builder.ConnectionString), dataDirectory, name);
    }

    /// <summary>The connection string of the test PostgreSQL server's maintenance database.</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"PostgreSQL tests need a server: run ./test.sh, which starts one, or set {PostgresVariable} to a connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres).");

    /// <summary>Runs a scalar SQL query directly on the database, bypassing Modelgate.</summary>
    public Task<object?> ScalarAsync(string sql) => RunAsync(sql, command => command.ExecuteScalarAsync());

    /// <summary>Runs a SQL statement directly on the database, bypassing Modelgate (to tamper, or to inspect).</summary>
    public Task<int> ExecuteAsync(string sql) => RunAsync(sql, command => command.ExecuteNonQueryAsync());

    private async Task<T> RunAsync<T>(string sql, Func<DbCommand, Task<T>> run)
    {
        await using DbConnection connection = Options.Kind == DatabaseKind.Sqlite
            ? new SqliteConnection(Options.ConnectionString)
            : new NpgsqlConnection(Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await run(command);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            using (var own = new NpgsqlConnection(Options.ConnectionString))
            {
                NpgsqlConnection.ClearPool(own);
            }

            await using var connection = new NpgsqlConnection(PostgresServer);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        else
        {
            // Only this database's pools: clearing every pool would close other tests' servers' connections mid-test.
            foreach (var connectionString in new[] { Options.ConnectionString, Storage.ModelgateDbContextFactory.ExistingFileOnly(Options.ConnectionString) })
            {
                using var connection = new SqliteConnection(connectionString);
                SqliteConnection.ClearPool(connection);
            }
        }

        DataDirectory.Dispose();
    }
}
