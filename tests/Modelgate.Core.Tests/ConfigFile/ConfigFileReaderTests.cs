using Modelgate.ConfigFile;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class ConfigFileReaderTests
{
    private const string Sample = """
        version: 1
        providers:
          - name: openai
            type: openai
            api_key: env:OPENAI_API_KEY
            limits: {requests_per_minute: 500, shadow: [tokens_per_minute]}
          - name: local
            type: ollama
            base_url: http://127.0.0.1:11434
            active: false
        models:
          - model: openai/gpt-4o-mini
            display_name: GPT-4o mini
            parameters: {temperature: 0.7, max_tokens: 800}
            prices: {input_per_million: 0.15, output_per_million: 0.6}
            context_window: 128000
          - model: local/nomic-embed-text
            type: embedding
        defaults:
          chat: openai/gpt-4o-mini
          agents/researcher: openai/gpt-4o-mini
        fallbacks:
          chat: [local/llama3]
        aliases:
          smart: {model: openai/gpt-4o-mini, description: the clever one}
          gpt-4: {model: openai/gpt-4o-mini, deprecated: true}
        """;

    [Fact]
    public void Sample_ReadsEverySection()
    {
        var (document, errors) = ConfigFileReader.Read(Sample, "modelgate.yaml");

        Assert.Empty(errors);
        Assert.Equal(["openai", "local"], document!.Providers.Select(p => p.Name));
        Assert.Equal(("env:OPENAI_API_KEY", 500, "tokens_per_minute"), (document.Providers[0].ApiKey, document.Providers[0].Limits!.RequestsPerMinute, document.Providers[0].Limits!.Shadow!.Single()));
        Assert.False(document.Providers[1].Active);
        Assert.True(document.Providers[0].Active);
        Assert.Equal(new ConfigParameters(0.7, null, 800), document.Models[0].Parameters);
        Assert.Equal(0.15m, document.Models[0].Prices!.InputPerMillion);
        Assert.Equal("embedding", document.Models[1].Type);
        Assert.Equal("openai/gpt-4o-mini", document.Defaults["agents/researcher"]);
        Assert.Equal(["local/llama3"], document.Fallbacks["chat"]);
        Assert.Equal(new ConfigAlias("openai/gpt-4o-mini", null, true), document.Aliases["gpt-4"]);
    }

    private const string Experiments = """
        version: 1
        experiments:
          - name: mini-vs-4o
            target: chat
            variants:
              - name: control
                weight: 90
              - name: mini
                model: openai/gpt-4o-mini
                weight: 10
                parameters: {temperature: 0.5}
              - {name: big, model: openai/gpt-4o, weight: 5, shadow: true}
            guardrails:
              - {metric: error_rate, max_increase: 0.02}
            starts_at: 2030-01-01T09:00:00Z
            alpha: 0.1
        """;

    [Fact]
    public void Experiments_AreRead_WithTheirVariantsGuardrailsAndTimes()
    {
        var (document, errors) = ConfigFileReader.Read(Experiments, "modelgate.yaml");

        Assert.Empty(errors);
        var experiment = Assert.Single(document!.Experiments);
        Assert.Equal(("mini-vs-4o", "chat", null, 0.1), (experiment.Name, experiment.Target, experiment.Stickiness, experiment.Alpha));
        Assert.Equal(
            [new ConfigExperimentVariant("control", null, 90), new ConfigExperimentVariant("mini", "openai/gpt-4o-mini", 10, Parameters: new ConfigParameters(0.5)),
                new ConfigExperimentVariant("big", "openai/gpt-4o", 5, Shadow: true)],
            experiment.Variants);
        Assert.Equal(new ConfigGuardrail("error_rate", 0.02), Assert.Single(experiment.Guardrails));
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero), experiment.StartsAt);
    }

    [Fact]
    public void UnknownExperimentField_IsNamedWithItsFileLineAndPath()
    {
        var text = Experiments.Replace("        model: openai/gpt-4o-mini", "        model: openai/gpt-4o-mini\n        wieght: 10", StringComparison.Ordinal);

        var error = Assert.Single(ConfigFileReader.Read(text, "modelgate.yaml").Errors);

        Assert.Equal("modelgate.yaml:10:17: experiments[0].variants[1].wieght: unknown field 'wieght'", error.ToString());
    }

    [Fact]
    public void AnEmptyOrCommentOnlyFile_IsRefused_NotReadAsAnEmptyCatalog()
    {
        foreach (var text in new[] { "", "# nothing here yet\n", "providers: []\n" })
        {
            var (document, errors) = ConfigFileReader.Read(text, "empty.yaml");

            Assert.Null(document);
            var error = Assert.Single(errors);
            Assert.Equal(("empty.yaml", "version"), (error.File, error.Path));
            Assert.Contains("version is required", error.Message);
        }
    }

    [Fact]
    public void AFolder_IsOneDocument_ListsJoinedMapsMerged_AndErrorsPointAtTheRightFileAndLine()
    {
        using var folder = new Modelgate.Testing.TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "10-providers.yaml"), "version: 1\nproviders:\n  - {name: openai, type: openai}\n  - {name: local, type: ollama, base_url: 'http://127.0.0.1:11434'}\n");
        File.WriteAllText(Path.Combine(folder.Path, "20-models.yaml"), "models:\n  - model: openai/gpt-4o\n  - model: local/llama3\n    parameters: {temperature: hot}\ndefaults:\n  chat: openai/gpt-4o\n");
        File.WriteAllText(Path.Combine(folder.Path, "notes.txt"), "not read");

        var (source, errors) = ConfigFileReader.Load(folder.Path);

        // The second model of the second file: its own file and line, not the first model's.
        var error = Assert.Single(errors);
        Assert.Null(source);
        Assert.EndsWith("20-models.yaml", error.File);
        Assert.Equal((4, "models[1].parameters.temperature"), (error.Line, error.Path));

        File.WriteAllText(Path.Combine(folder.Path, "20-models.yaml"), "models:\n  - model: openai/gpt-4o\n  - model: local/llama3\ndefaults:\n  chat: openai/gpt-4o\n");
        File.WriteAllText(Path.Combine(folder.Path, "30-more.yaml"), "\uFEFFproviders:\n  - {name: anthropic, type: anthropic}\n  - {name: groq, type: groq}\ndefaults:\n  agents: local/llama3\nfallbacks:\n");
        (source, errors) = ConfigFileReader.Load(folder.Path);
        Assert.Empty(errors);
        // A later file's second item keeps its own line; a byte-order mark and an empty section are nothing.
        Assert.Equal(["openai", "local", "anthropic", "groq"], source!.Document.Providers.Select(p => p.Name));
        Assert.Equal(["chat", "agents"], source.Document.Defaults.Keys);
        var fourth = source.Locate("providers[3].type", "x");
        Assert.EndsWith("30-more.yaml", fourth.File);
        Assert.Equal(3, fourth.Line);
        Assert.Equal(64, source.Sha256.Length);

        File.WriteAllText(Path.Combine(folder.Path, "40-clash.yaml"), "defaults:\n  chat: local/llama3\n");
        (source, errors) = ConfigFileReader.Load(folder.Path);
        var clash = Assert.Single(errors);
        Assert.EndsWith("40-clash.yaml", clash.File);
        Assert.Contains("20-models.yaml:5", clash.Message);
    }

    [Fact]
    public void UnknownField_IsNamedWithItsFileLineAndPath()
    {
        var text = Sample.Replace("    display_name: GPT-4o mini", "    display_name: GPT-4o mini\n    temprature: 0.2", StringComparison.Ordinal);

        var (document, errors) = ConfigFileReader.Read(text, "modelgate.yaml");

        Assert.Null(document);
        var error = Assert.Single(errors);
        Assert.Equal(("modelgate.yaml", 14, "models[0].temprature"), (error.File, error.Line, error.Path));
        Assert.Equal("modelgate.yaml:14:17: models[0].temprature: unknown field 'temprature'", error.ToString());
    }

    [Fact]
    public void ValueOfTheWrongType_IsNamedWithItsLine()
    {
        var text = Sample.Replace("context_window: 128000", "context_window: large", StringComparison.Ordinal);

        var error = Assert.Single(ConfigFileReader.Read(text, "m.yaml").Errors);

        Assert.Equal((16, "models[0].context_window"), (error.Line, error.Path));
        Assert.Contains("'context_window' has a value of the wrong type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotedNumber_StaysAString_AndIsRefusedWhereANumberBelongs()
    {
        var error = Assert.Single(ConfigFileReader.Read("version: \"1\"", "m.yaml").Errors);

        Assert.Equal((1, "version"), (error.Line, error.Path));
    }

    [Fact]
    public void KeyGivenTwice_IsAnError_NotTheLastOneWinning()
    {
        var error = Assert.Single(ConfigFileReader.Read("defaults:\n  chat: a/b\n  chat: c/d\n", "m.yaml").Errors);

        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void YamlSyntaxError_SaysWhere()
    {
        var error = Assert.Single(ConfigFileReader.Read("providers:\n  - name: [unclosed\n", "bad.yaml").Errors);

        Assert.Equal("bad.yaml", error.File);
        Assert.True(error.Line >= 2, $"line {error.Line}");
    }

    [Fact]
    public void NotAMapping_IsRefused()
    {
        var error = Assert.Single(ConfigFileReader.Read("- just\n- a list\n", "m.yaml").Errors);

        Assert.Contains("mapping of sections", error.Message, StringComparison.Ordinal);
    }
}
