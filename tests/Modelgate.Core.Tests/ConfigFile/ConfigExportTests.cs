using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;
using Modelgate.Core.ConfigAsCode;
using Modelgate.Core.Tests.Resolution;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class ConfigExportTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Experiment Experiment(string name, string target, params ExperimentVariant[] variants) => new()
    {
        Id = Guid.CreateVersion7(), Name = name, Target = target, Variants = variants,
    };

    // A catalog with a running, a scheduled, a stopped and an ended experiment, on a purpose and an alias.
    private CatalogSnapshot WithExperiments()
    {
        var openai = _catalog.Provider(ProviderKind.OpenAI, name: "openai");
        var mini = _catalog.Model(openai, "gpt-4o-mini");
        var big = _catalog.Model(openai, "gpt-4o");
        _catalog.Default("chat", mini).Alias("smart", big)
            .Experiment(Experiment("mini-vs-4o", "chat",
                    new ExperimentVariant("control", null, 90), new ExperimentVariant("mini", mini.Id, 10, new ModelParameters(Temperature: 0.5)),
                    new ExperimentVariant("big", big.Id, 5, Shadow: true)) with
                {
                    Stickiness = ExperimentStickiness.Key, Description = "is the small one good enough", Alpha = 0.1, EndsAt = Now.AddYears(3),
                    Guardrails = [new ExperimentGuardrail("error_rate", MaxIncrease: 0.02), new ExperimentGuardrail("latency_p95", MaxRatio: 1.5)],
                })
            .Experiment(Experiment("later", "smart", new ExperimentVariant("a", null, 1), new ExperimentVariant("b", mini.Id, 1)) with { StartsAt = Now.AddDays(7) })
            .Experiment(Experiment("stopped", "agents", new ExperimentVariant("a", null, 1), new ExperimentVariant("b", big.Id, 1)) with
            {
                State = ExperimentState.Stopped, StopReason = "guardrail error_rate crossed",
            })
            .Experiment(Experiment("ended", "agents", new ExperimentVariant("a", null, 1), new ExperimentVariant("b", big.Id, 1)) with { EndsAt = Now.AddDays(-1) });
        return _catalog.Build();
    }

    [Fact]
    public void Export_WritesKeysAsReferences_NeverTheirValuesOrMasks()
    {
        var provider = _catalog.Provider(ProviderKind.OpenAI, apiKey: "sk-proj-very-secret-value-0000000000000", name: "openai eu");
        _catalog.Default("chat", _catalog.Model(provider, "gpt-4o-mini"));

        var document = ConfigExport.From(_catalog.Build());
        var yaml = ConfigFileWriter.Write(document);

        Assert.Equal("env:OPENAI_EU_API_KEY", Assert.Single(document.Providers).ApiKey);
        Assert.DoesNotContain("secret", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("...", yaml, StringComparison.Ordinal);
        Assert.Contains("chat: openai eu/gpt-4o-mini", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ThenWriteThenRead_GivesTheSameDocument()
    {
        var anthropic = _catalog.Provider(ProviderKind.Anthropic, name: "anthropic");
        // Names a plain scalar would read as a number or null must come back as the same strings.
        var local = _catalog.Provider(ProviderKind.Ollama, apiKey: null, name: "007");
        _catalog.Provider(ProviderKind.OpenAI, name: "null");
        var sonnet = _catalog.Model(anthropic, "claude-sonnet-4", parameters: new ModelParameters(Temperature: 0.3, MaxTokens: 900));
        var embed = _catalog.Model(local, "nomic-embed-text", ModelKind.Embedding);
        var nullish = _catalog.Model(local, "null", active: false);
        _catalog.Default("chat", sonnet).Default("embeddings", embed).Fallbacks("chat", nullish).Alias("smart", sonnet).Alias("claude-2", sonnet, deprecated: true);

        var exported = ConfigExport.From(_catalog.Build());
        var text = ConfigFileWriter.Write(exported);
        var (read, errors) = ConfigFileReader.Read(text, "exported.yaml");

        Assert.Empty(errors);
        Assert.Equal(ConfigFileWriter.Write(exported), ConfigFileWriter.Write(read!));
        Assert.Equal(exported.Providers, read!.Providers.Select(p => p with { Limits = p.Limits }));
        Assert.Equal(exported.Defaults, read.Defaults);
        Assert.Equal(exported.Aliases, read.Aliases);
        Assert.Equal(["007/null"], read.Fallbacks["chat"]);
        Assert.Equal(["007", "anthropic", "null"], read.Providers.Select(p => p.Name));
        Assert.Contains("name: \"007\"", text, StringComparison.Ordinal);
        Assert.False(read.Models.Single(m => m.Model == "007/null").Active);
        Assert.Equal(new ConfigParameters(0.3, null, 900), read.Models.Single(m => m.Model == "anthropic/claude-sonnet-4").Parameters);
    }

    [Fact]
    public void Export_WritesRunningAndScheduledExperimentsByName_WithModelsAsProviderSlashModelId_NotStoppedOrEndedOnes()
    {
        var document = ConfigExport.From(WithExperiments(), Now);

        Assert.Equal(["later", "mini-vs-4o"], document.Experiments.Select(e => e.Name));
        var experiment = document.Experiments[1];
        Assert.Equal(("chat", "key", 0.1, "is the small one good enough"), (experiment.Target, experiment.Stickiness, experiment.Alpha, experiment.Description));
        Assert.Equal(
            [new ConfigExperimentVariant("control", null, 90), new ConfigExperimentVariant("mini", "openai/gpt-4o-mini", 10, Parameters: new ConfigParameters(0.5)),
                new ConfigExperimentVariant("big", "openai/gpt-4o", 5, Shadow: true)],
            experiment.Variants);
        Assert.Equal([new ConfigGuardrail("error_rate", 0.02), new ConfigGuardrail("latency_p95", MaxRatio: 1.5)], experiment.Guardrails);
        // Defaults are left out: stickiness session, alpha 0.05.
        Assert.Equal((null, null, Now.AddDays(7)), (document.Experiments[0].Stickiness, document.Experiments[0].Alpha, document.Experiments[0].StartsAt));
    }

    [Fact]
    public void Experiments_WriteThenRead_GiveTheSameDocument()
    {
        var exported = ConfigExport.From(WithExperiments(), Now);

        var text = ConfigFileWriter.Write(exported);
        var (read, errors) = ConfigFileReader.Read(text, "exported.yaml");

        Assert.Empty(errors);
        Assert.Equal(text, ConfigFileWriter.Write(read!));
        Assert.Equal(exported.Experiments.Select(e => e with { Variants = [], Guardrails = [] }), read!.Experiments.Select(e => e with { Variants = [], Guardrails = [] }));
        Assert.Equal(exported.Experiments.SelectMany(e => e.Variants), read.Experiments.SelectMany(e => e.Variants));
        Assert.Equal(exported.Experiments.SelectMany(e => e.Guardrails), read.Experiments.SelectMany(e => e.Guardrails));
        Assert.DoesNotContain("shadow: false", text, StringComparison.Ordinal);
        Assert.DoesNotContain("state", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ThenApplyOnAnEmptyCatalog_ThenExport_GivesTheSameFile()
    {
        var text = ConfigFileWriter.Write(ConfigExport.From(WithExperiments(), Now));
        var (document, readErrors) = ConfigFileReader.Read(text, "exported.yaml");
        Assert.Empty(readErrors);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal) { ["openai"] = "sk-proj-from-the-environment-000000000000" };

        var (applied, errors) = ConfigTarget.Build(CatalogSnapshot.Empty, document!, keys, _catalog.Protector, new BaseUrlPolicy(), prune: false, Now);

        Assert.Empty(errors);
        Assert.Equal(text, ConfigFileWriter.Write(ConfigExport.From(applied!, Now)));
        Assert.All(applied!.Experiments.Values, e => Assert.Equal(ExperimentState.Running, e.State));
        Assert.Equal(["later", "mini-vs-4o"], applied.Experiments.Values.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _catalog.Dispose();

    [Theory]
    [InlineData("openai", "OPENAI_API_KEY")]
    [InlineData("azure-eu.prod", "AZURE_EU_PROD_API_KEY")]
    [InlineData("modelgate-eu", "PROVIDER_MODELGATE_EU_API_KEY")]
    [InlineData("1st", "PROVIDER_1ST_API_KEY")]
    public void AKeyVariable_IsNamedAfterItsProvider_AndIsNeverOneOfModelgatesOwn(string provider, string variable)
    {
        Assert.Equal(variable, ConfigKeyReferences.VariableFor(provider));
        Assert.True(ConfigKeyReferences.IsReference($"env:{variable}"));
    }
}
