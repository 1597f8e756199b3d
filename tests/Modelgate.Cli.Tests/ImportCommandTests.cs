using Modelgate.Cli.Tests.Support;
using Modelgate.ConfigFile;
using Modelgate.Testing;

namespace Modelgate.Cli.Tests;

/// <summary><c>modelgate import --from litellm</c>: the Modelgate file on stdout (or --out), notes on stderr; no server needed.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private const string LiteralKey = "sk-proj-cli-literal-key-not-to-be-printed-0000";

    private static readonly Dictionary<string, string?> NoVariables = [];

    private readonly TempDirectory _dir = new();

    private string Config => Path.Combine(_dir.Path, "cli-config.yaml");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string LiteLlmConfig = $"""
        model_list:
          - model_name: smart
            litellm_params:
              model: openai/gpt-4o
              api_key: {LiteralKey}
              input_cost_per_token: 2.5e-06
          - model_name: local
            litellm_params:
              model: ollama/llama3
        general_settings:
          master_key: sk-1234
        """;

    [Fact]
    public async Task ImportFromLiteLlm_WritesTheModelgateFileToStdout_AndNotesToStderr_ExitZero()
    {
        var source = Write("litellm.yaml", LiteLlmConfig);

        var result = await CliServer.RunWithAsync(NoVariables, Config, "import", "--from", "litellm", source);

        Assert.True(result.ExitCode == 0, result.ToString());
        var (document, errors) = ConfigFileReader.Read(result.Out, "stdout");
        Assert.Empty(errors);
        Assert.Equal(["openai/gpt-4o", "ollama/llama3"], document!.Models.Select(m => m.Model));
        Assert.Equal(2.5m, document.Models[0].Prices!.InputPerMillion);
        Assert.Equal("env:OPENAI_API_KEY", document.Providers[0].ApiKey);
        Assert.Equal("openai/gpt-4o", document.Aliases["smart"].Model);
        Assert.Equal("openai/gpt-4o", document.Defaults["chat"]);
        var notes = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("note: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(notes, n => n.StartsWith("note: model_list[0] (smart): api_key is written in the LiteLLM file", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("note: general_settings: not converted: master_key", StringComparison.Ordinal));
        Assert.DoesNotContain(LiteralKey, result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-1234", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithOut_TheFileIsWrittenThere_AndStdoutStaysEmpty()
    {
        var source = Write("litellm.yaml", LiteLlmConfig);
        var target = Path.Combine(_dir.Path, "modelgate.yaml");

        var result = await CliServer.RunWithAsync(NoVariables, Config, "import", "--from", "litellm", source, "--out", target);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Out);
        var (document, errors) = ConfigFileReader.Read(await File.ReadAllTextAsync(target), target);
        Assert.Empty(errors);
        Assert.Equal(2, document!.Models.Count);
        Assert.DoesNotContain(LiteralKey, await File.ReadAllTextAsync(target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenFile_IsExitCodeTwo_WithAnErrorNamingTheFileAndLine()
    {
        var source = Write("broken.yaml", "model_list:\n  - model_name: a\n    litellm_params: [unclosed\n");

        var result = await CliServer.RunWithAsync(NoVariables, Config, "import", "--from", "litellm", source);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(source)}:\d+:\d+: ", result.Error);
    }

    [Fact]
    public async Task AnotherSourceFormat_OrAMissingFile_IsExitCodeTwo()
    {
        var source = Write("litellm.yaml", LiteLlmConfig);

        var other = await CliServer.RunWithAsync(NoVariables, Config, "import", "--from", "portkey", source);
        var missing = await CliServer.RunWithAsync(NoVariables, Config, "import", "--from", "litellm", Path.Combine(_dir.Path, "nowhere.yaml"));

        Assert.Equal(2, other.ExitCode);
        Assert.Contains("--from takes: litellm", other.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nowhere.yaml", missing.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
