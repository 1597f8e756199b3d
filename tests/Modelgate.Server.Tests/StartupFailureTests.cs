using Modelgate.Server.Hosting;
using Modelgate.Server.Tests.Support;
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

    private async Task<(int ExitCode, string Error, string All)> StartServerAsync(string database, Dictionary<string, string>? settings = null)
    {
        using var data = new TempDirectory();
        var (exitCode, stdout, stderr) = await ServerProcess.RunToExitAsync(data.Path, database.Replace("{data}", data.Path, StringComparison.Ordinal), settings);
        output.WriteLine($"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
        return (exitCode, stderr, stdout + stderr);
    }

    private static void AssertOneCleanMessage(string error, string all, string expected)
    {
        Assert.StartsWith("Modelgate did not start: " + expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseUnreachable_WithoutLastKnownGood_ExitsWith3SayingWhatToCheck()
    {
        var (exitCode, error, all) = await StartServerAsync(ClosedPostgres);

        Assert.Equal(StartupException.DatabaseUnreachable, exitCode);
        AssertOneCleanMessage(error, all, "The catalog database Postgres (");
        Assert.Contains("cannot be reached", error, StringComparison.Ordinal);
        Assert.Contains("no last-known-good snapshot", error, StringComparison.Ordinal);
        Assert.Contains("Check MODELGATE_DATABASE and that the database is running.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MODELGATE_USAGE_ENABLED", "maybe", "MODELGATE_USAGE_ENABLED must be true or false, not 'maybe'.")]
    [InlineData("MODELGATE_USAGE_BATCH_SIZE", "0", "MODELGATE_USAGE_BATCH_SIZE must be a positive whole number, not '0'.")]
    [InlineData("MODELGATE_ADMIN_TOKEN", "too-short", "MODELGATE_ADMIN_TOKEN is 9 characters long")]
    [InlineData("MODELGATE_MASTER_KEY", Password, "The master key in MODELGATE_MASTER_KEY is not 32 bytes in base64 or hex.")]
    public async Task BadSetting_ExitsWith2SayingWhichOne(string name, string value, string expected)
    {
        var (exitCode, error, all) = await StartServerAsync("Data Source={data}/modelgate.db", new() { [name] = value });

        Assert.Equal(StartupException.BadConfiguration, exitCode);
        AssertOneCleanMessage(error, all, expected);
    }

    [Fact]
    public async Task UnparseableDatabaseSetting_ExitsWith2NamingTheKeywordNotThePassword()
    {
        var (exitCode, error, all) = await StartServerAsync($"Host=127.0.0.1;Port=notaport;Password={Password}");

        Assert.Equal(StartupException.BadConfiguration, exitCode);
        AssertOneCleanMessage(error, all, "MODELGATE_DATABASE is not a valid Postgres connection string: Couldn't set port");
    }

    [Fact]
    public async Task AConfigFileThatCannotBeApplied_ExitsWith2NamingFileLineAndField_WithoutEchoingAKey()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "modelgate.yaml");
        await File.WriteAllTextAsync(file, """
            version: 1
            providers:
              - name: openai
                type: openai
                api_key: sk-live-written-in-the-file-0123456789
              - name: sneaky
                type: openai
                api_key: env:MODELGATE_MASTER_KEY
              - name: nosy
                type: openai
                api_key: file:/proc/self/environ
            """);

        var (exitCode, error, all) = await StartServerAsync("Data Source={data}/modelgate.db", new() { ["MODELGATE_CONFIG_FILE"] = file });

        Assert.Equal(StartupException.BadConfiguration, exitCode);
        Assert.StartsWith($"Modelgate did not start: MODELGATE_CONFIG_FILE {file} cannot be applied:", error, StringComparison.Ordinal);
        Assert.Contains($"{file}:5:", error, StringComparison.Ordinal);
        Assert.Contains("providers[0].api_key: api_key must be a reference", error, StringComparison.Ordinal);
        Assert.Contains("providers[1].api_key: env:MODELGATE_MASTER_KEY names one of Modelgate's own settings", error, StringComparison.Ordinal);
        Assert.Contains("providers[2].api_key: the file /proc/self/environ is in a folder no key is read from", error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-written-in-the-file", all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
    }
}
