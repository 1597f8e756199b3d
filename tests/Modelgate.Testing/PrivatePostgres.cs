using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Modelgate.Testing;

/// <summary>
/// A PostgreSQL server of a test's own (initdb + pg_ctl on a random loopback port), for tests that stop and
/// restart the database. Uses the binaries test.sh installs; runs them as the postgres user when root.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly TempDirectory _dir = new();
    private readonly int _port;

    private PrivatePostgres(string bin, int port)
    {
        _bin = bin;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=5";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL binaries are missing: run ./test.sh, which installs the Debian package postgresql.");
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new PrivatePostgres(bin, port);
        if (IsRoot)
        {
            await RunAsync("chown", $"-R postgres:postgres {server._dir.Path}");
        }

        await server.PgAsync("initdb", $"-D {server.DataPath} -A trust -U postgres");
        await server.StartAgainAsync();
        return server;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private string DataPath => Path.Combine(_dir.Path, "data");

    public Task StartAgainAsync() =>
        PgAsync("pg_ctl", $"-D {DataPath} -w -l {Path.Combine(_dir.Path, "log")} -o \"-c listen_addresses=127.0.0.1 -p {_port} -k {_dir.Path} -c fsync=off\" start");

    public Task StopAsync() => PgAsync("pg_ctl", $"-D {DataPath} -w -m immediate stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        _dir.Dispose();
    }

    private Task PgAsync(string tool, string arguments) =>
        IsRoot ? RunAsync("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {arguments}") : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}
