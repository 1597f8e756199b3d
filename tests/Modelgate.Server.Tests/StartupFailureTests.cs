using System.Diagnostics;
using Modelgate.Server.Hosting;
using Modelgate.Testing;
using Xunit.Abstractions;

namespace Modelgate.Server.Tests;

/// <summary>
/// The built server started as an operator starts it (<c>dotnet Modelgate.Server.dll</c>), with something wrong: it
/// must stop with one message saying what to check and a documented exit code, never a crash with a stack trace.
/// </summary>
public sealed class StartupFailureTests(ITestOutputHelper output)
{
    private const string Password = "hunter2secret";

    // PostgreSQL on a loopback port nothing listens on: refused at once.
    private const string ClosedPostgres = $"Host=127.0.0.1;Port=1;Username=postgres;Password={Password};Database=x;Timeout=2";

    private async Task<(int ExitCode, string Output)> StartServerAsync(IReadOnlyDictionary<string, string> settings)
    {
        using var data = new TempDirectory();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location },
            WorkingDirectory = data.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MODELGATE_DATA_DIR"] = Path.Combine(data.Path, "data");
        // Should it start after all, it must not take the default port from a real server.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var all = $"--- stdout\n{await stdout}\n--- stderr\n{await stderr}";
        output.WriteLine($"exit code {process.ExitCode}\n{all}");
        return (process.ExitCode, all);
    }

    private static void AssertOneCleanMessage(string all, string expected)
    {
        Assert.Contains("--- stderr\nModelgate did not start: " + expected, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseUnreachable_WithoutLastKnownGood_ExitsWith3SayingWhatToCheck()
    {
        var (exitCode, all) = await StartServerAsync(new Dictionary<string, string> { ["MODELGATE_DATABASE"] = ClosedPostgres });

        Assert.Equal(StartupException.DatabaseUnreachable, exitCode);
        AssertOneCleanMessage(all, "The catalog database Postgres (");
        Assert.Contains("cannot be reached", all, StringComparison.Ordinal);
        Assert.Contains("no last-known-good snapshot", all, StringComparison.Ordinal);
        Assert.Contains("Check MODELGATE_DATABASE and that the database is running.", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MODELGATE_USAGE_ENABLED", "maybe", "MODELGATE_USAGE_ENABLED must be true or false, not 'maybe'.")]
    [InlineData("MODELGATE_ADMIN_TOKEN", "too-short", "MODELGATE_ADMIN_TOKEN is 9 characters long")]
    [InlineData("MODELGATE_DATABASE", $"Host=127.0.0.1;Port=notaport;Password={Password}",
        "MODELGATE_DATABASE is not a valid Postgres connection string: Couldn't set port")]
    [InlineData("MODELGATE_MASTER_KEY", Password, "The master key in MODELGATE_MASTER_KEY is not 32 bytes in base64 or hex.")]
    public async Task BadSetting_ExitsWith2SayingWhichOne(string name, string value, string expected)
    {
        var (exitCode, all) = await StartServerAsync(new Dictionary<string, string> { [name] = value });

        Assert.Equal(StartupException.BadConfiguration, exitCode);
        AssertOneCleanMessage(all, expected);
    }
}
