using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;
using Modelgate.Core.ConfigAsCode;
using Modelgate.Core.Tests.Resolution;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class ConfigExportTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

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

    public void Dispose() => _catalog.Dispose();
}
