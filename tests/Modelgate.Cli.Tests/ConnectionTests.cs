using Modelgate.Cli.Tests.Support;
using Modelgate.Testing;

namespace Modelgate.Cli.Tests;

/// <summary>Where the tool finds its server and token, and what it says when it cannot get in.</summary>
[Collection(CliServerCollection.Name)]
public sealed class ConnectionTests(CliServer server)
{
    private static readonly Dictionary<string, string?> NoVariables = [];

    [Fact]
    public async Task AWrongToken_IsExitCodeTwo_WithAClearMessageThatDoesNotShowTheToken()
    {
        const string wrong = "mg-wrong-token-that-must-not-be-printed";
        using var config = new TempDirectory();

        var result = await CliServer.RunWithAsync(NoVariables, Path.Combine(config.Path, "config.yaml"),
            "list", "providers", "--url", server.Url, "--token", wrong);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("401", result.Error);
        Assert.DoesNotContain(wrong, result.Error + result.Out);
    }

    [Fact]
    public async Task AnUnreachableServer_IsExitCodeTwo_NamingTheUrl()
    {
        using var config = new TempDirectory();

        var result = await CliServer.RunWithAsync(NoVariables, Path.Combine(config.Path, "config.yaml"),
            "status", "--url", "http://127.0.0.1:1", "--token", "mg-secret-token-not-to-print");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Could not reach http://127.0.0.1:1/", result.Error);
        Assert.DoesNotContain("mg-secret-token-not-to-print", result.Error);
    }

    [Fact]
    public async Task NoServerConfigured_IsExitCodeTwo_SayingHowToConfigureOne()
    {
        using var config = new TempDirectory();

        var result = await CliServer.RunWithAsync(NoVariables, Path.Combine(config.Path, "config.yaml"), "status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MODELGATE_URL", result.Error);
    }

    [Fact]
    public async Task ContextSetAndUse_WriteTheFileForItsOwnerOnly_AndTheCurrentContextIsUsed()
    {
        using var home = new TempDirectory();
        var path = Path.Combine(home.Path, "modelgate", "config.yaml");

        var set = await CliServer.RunWithAsync(NoVariables, path, "context", "set", "local", "--url", server.Url, "--token", ModelgateApp.AdminToken);
        await CliServer.RunWithAsync(NoVariables, path, "context", "set", "nowhere", "--url", "http://127.0.0.1:1", "--token", "x");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.DoesNotContain(ModelgateApp.AdminToken, set.Out + set.Error);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Contains("current-context: local", File.ReadAllText(path));
        Assert.Equal(0, (await CliServer.RunWithAsync(NoVariables, path, "status")).ExitCode);

        var used = await CliServer.RunWithAsync(NoVariables, path, "context", "use", "nowhere");
        Assert.Equal(0, used.ExitCode);
        var unreachable = await CliServer.RunWithAsync(NoVariables, path, "status");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("http://127.0.0.1:1/", unreachable.Error);

        var chosen = await CliServer.RunWithAsync(NoVariables, path, "status", "--context", "local");
        Assert.True(chosen.ExitCode == 0, chosen.ToString());

        var listed = await CliServer.RunWithAsync(NoVariables, path, "context", "list");
        Assert.Contains("nowhere", listed.Out);
        Assert.DoesNotContain(ModelgateApp.AdminToken, listed.Out);
    }

    [Fact]
    public async Task EnvironmentVariables_WinOverTheContext_AndFlagsWinOverBoth()
    {
        using var home = new TempDirectory();
        var path = Path.Combine(home.Path, "config.yaml");
        await CliServer.RunWithAsync(NoVariables, path, "context", "set", "nowhere", "--url", "http://127.0.0.1:1", "--token", "x");
        var variables = new Dictionary<string, string?> { ["MODELGATE_URL"] = server.Url, ["MODELGATE_ADMIN_TOKEN"] = ModelgateApp.AdminToken };

        var fromEnvironment = await CliServer.RunWithAsync(variables, path, "status");
        var fromFlag = await CliServer.RunWithAsync(variables, path, "status", "--url", "http://127.0.0.1:2");

        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.Equal(2, fromFlag.ExitCode);
        Assert.Contains("http://127.0.0.1:2/", fromFlag.Error);
    }

    [Fact]
    public async Task ContextUse_OfAnUnknownContext_IsExitCodeTwo()
    {
        using var home = new TempDirectory();

        var result = await CliServer.RunWithAsync(NoVariables, Path.Combine(home.Path, "config.yaml"), "context", "use", "missing");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing", result.Error);
    }

    [Fact]
    public async Task AnUnknownCommand_IsExitCodeTwo()
    {
        using var home = new TempDirectory();

        var result = await CliServer.RunWithAsync(NoVariables, Path.Combine(home.Path, "config.yaml"), "list", "bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bogus", result.Error);
    }
}
