using System.Diagnostics;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Server.Tests;

/// <summary>
/// The server started as deployed, from a working directory without its appsettings.json, logs as documented: not a
/// line per request (ASP.NET Core at Warning), unless the environment asks for it.
/// </summary>
public sealed class LoggingDefaultsTests
{
    [Fact]
    public async Task StartedFromAnotherDirectory_RequestsAreNotLogged_UnlessTheEnvironmentAsks()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        using var http = new HttpClient();

        await using (var verbose = await ServerProcess.StartAsync(database.DataDirectory.Path, database.Options.ConnectionString,
            new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information" }))
        {
            using var _ = await http.GetAsync(verbose.Url + "/v1/models");
            var clock = Stopwatch.StartNew();
            while (!verbose.Output.Contains("Request starting", StringComparison.Ordinal))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the environment's Information level for ASP.NET Core was not applied:\n" + verbose.Output);
                await Task.Delay(50);
            }
        }

        await using var quiet = await ServerProcess.StartAsync(database.DataDirectory.Path, database.Options.ConnectionString);
        for (var i = 0; i < 3; i++)
        {
            using var _ = await http.GetAsync(quiet.Url + "/v1/models");
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Contains("Now listening on", quiet.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", quiet.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request finished", quiet.Output, StringComparison.Ordinal);
    }
}
