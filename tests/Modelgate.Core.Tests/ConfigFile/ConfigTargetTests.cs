using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;
using Modelgate.Core.ConfigAsCode;
using Modelgate.Core.Tests.Resolution;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class ConfigTargetTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

    private const string File = """
        providers:
          - {name: openai, type: openai, api_key: env:OPENAI_API_KEY}
        models:
          - {model: openai/gpt-4o-mini, parameters: {temperature: 0.2}, prices: {input_per_million: 0.15, output_per_million: 0.6}}
          - {model: openai/gpt-4o}
        defaults: {chat: openai/gpt-4o-mini}
        fallbacks: {chat: [openai/gpt-4o]}
        aliases: {smart: {model: openai/gpt-4o}}
        """;

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal) { ["openai"] = "sk-proj-from-the-environment-000000000000" };

    private (CatalogSnapshot? Target, IReadOnlyList<ConfigPathError> Errors) Target(CatalogSnapshot current, string text, bool prune = false)
    {
        var (document, errors) = ConfigFileReader.Read(text, "m.yaml");
        Assert.Empty(errors);
        return ConfigTarget.Build(current, document!, Keys, _catalog.Protector, new BaseUrlPolicy(), prune);
    }

    [Fact]
    public void OnAnEmptyCatalog_TheFileCreatesEverything_AndTheDiffSaysSo()
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, File);

        Assert.Empty(errors);
        var changes = CatalogDiff.Between(CatalogSnapshot.Empty, target!);
        Assert.Equal(["alias", "default", "fallbacks", "model", "model", "provider"], changes.Select(c => c.Entity).Order(StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal("added", c.Kind));
        var provider = Assert.Single(target!.Providers.Values);
        Assert.Equal("sk-proj-from-the-environment-000000000000", _catalog.Protector.Unprotect(provider.ApiKeyCiphertext!, Core.Secrets.SecretContext.ProviderApiKey(provider.Id)));
        Assert.DoesNotContain(changes.SelectMany(c => c.Fields.Values), f => f.After?.ToString()?.Contains("from-the-environment", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void TheSameFileAgain_ChangesNothing_KeepingIdsAndTheKeysCiphertext()
    {
        var (first, _) = Target(CatalogSnapshot.Empty, File);

        var (second, errors) = Target(first!, File);

        Assert.Empty(errors);
        Assert.Empty(CatalogDiff.Between(first!, second!));
        Assert.Equal(first!.Providers.Values.Single().ApiKeyCiphertext, second!.Providers.Values.Single().ApiKeyCiphertext);
    }

    [Fact]
    public void WithoutPrune_NothingIsRemoved_WithPrune_WhatTheFileDoesNotNameIs()
    {
        var other = _catalog.Provider(ProviderKind.Anthropic, name: "anthropic");
        _catalog.Alias("kept", _catalog.Model(other, "claude"));
        var current = _catalog.Build();

        var (kept, _) = Target(current, File);
        var (pruned, _) = Target(current, File, prune: true);

        Assert.Contains(kept!.Providers.Values, p => p.Name == "anthropic");
        Assert.True(kept.Aliases.ContainsKey("kept"));
        Assert.DoesNotContain(pruned!.Providers.Values, p => p.Name == "anthropic");
        Assert.False(pruned.Aliases.ContainsKey("kept"));
        Assert.Contains(CatalogDiff.Between(current, pruned), c => c.Kind == "removed" && c.Entity == "provider" && c.Name == "anthropic");
    }

    [Theory]
    [InlineData("models:\n  - {model: openai/gpt-4o, parameters: {temperature: 7}}\nproviders:\n  - {name: openai, type: openai}", "models[0].parameters.temperature")]
    [InlineData("providers:\n  - {name: openai, type: nonsense}", "providers[0].type")]
    [InlineData("models:\n  - {model: gpt-4o}", "models[0].model")]
    [InlineData("defaults: {chat: openai/missing}\nproviders:\n  - {name: openai, type: openai}", "defaults.chat")]
    [InlineData("aliases: {chat: {model: openai/gpt-4o}}\nproviders:\n  - {name: openai, type: openai}\nmodels:\n  - {model: openai/gpt-4o}", "aliases.chat")]
    [InlineData("providers:\n  - {name: other, type: openai, api_key: env:NOT_RESOLVED}", "providers[0].api_key")]
    public void BadValues_AreRefused_ByTheirPathInTheFile(string text, string path)
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, text);

        Assert.Null(target);
        Assert.Contains(errors, e => e.Path == path);
    }

    public void Dispose() => _catalog.Dispose();
}
