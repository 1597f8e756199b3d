using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Tests.Resolution;

public sealed class ResolutionTableTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

    private ResolutionTable Table(IReadOnlyDictionary<string, string>? environment = null, ResolutionSource origin = ResolutionSource.Database) =>
        new(_catalog.Build(), origin, _catalog.Protector, new EnvironmentFallback(name => environment?.GetValueOrDefault(name)));

    private static Purpose P(string name) => Purpose.TryParse(name, out var p, out var error) ? p : throw new ArgumentException(error);

    [Fact]
    public void Resolve_DefaultInCatalog_GivesModelKeyParametersAndReason()
    {
        var provider = _catalog.Provider(apiKey: "sk-ant-api03-resolve-me-000000000000XwAA");
        var model = _catalog.Model(provider, "claude-sonnet-4-20250514", parameters: new ModelParameters(0.2, null, 1000));
        _catalog.Default("agents", model);

        var resolved = Table().Resolve(Purpose.Agents);

        Assert.Equal(ResolutionSource.Database, resolved.Source);
        Assert.Equal("claude-sonnet-4-20250514", resolved.Model.ModelId);
        Assert.Equal("sk-ant-api03-resolve-me-000000000000XwAA", resolved.ApiKey);
        Assert.Equal(0.2, resolved.Parameters.Temperature);
        Assert.Equal(3m, resolved.Pricing.InputPerMillion);
        Assert.Contains("model 'claude-sonnet-4-20250514'", resolved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("resolve-me", resolved.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("resolve-me", System.Text.Json.JsonSerializer.Serialize(resolved), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AgentTypeUnset_FallsBackToAgentsAndSaysSo()
    {
        var model = _catalog.Model(_catalog.Provider(), "claude-agents");
        _catalog.Default("agents", model);

        var resolved = Table().Resolve(P("agents/researcher"));

        Assert.Equal("agents/researcher", resolved.Purpose.Name);
        Assert.Equal("claude-agents", resolved.Model.ModelId);
        Assert.Contains("falls back to 'agents'", resolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AgentTypeSet_UsesItsOwnDefault()
    {
        var provider = _catalog.Provider();
        _catalog.Default("agents", _catalog.Model(provider, "general"));
        _catalog.Default("agents/coder", _catalog.Model(provider, "coder"));

        Assert.Equal("coder", Table().Resolve(P("agents/coder")).Model.ModelId);
        Assert.Equal("general", Table().Resolve(P("agents/writer")).Model.ModelId);
    }

    [Fact]
    public void Resolve_NothingInCatalog_UsesAnthropicKeyFromEnvironmentWithTheDocumentedModel()
    {
        var resolved = Table(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-env-000000000000000000000000" }).Resolve(Purpose.Chat);

        Assert.Equal(ResolutionSource.Environment, resolved.Source);
        Assert.Equal(ProviderKind.Anthropic, resolved.Provider.Kind);
        Assert.Equal(EnvironmentFallback.DefaultAnthropicChatModel, resolved.Model.ModelId);
        Assert.Equal("sk-ant-env-000000000000000000000000", resolved.ApiKey);
        Assert.Contains("ANTHROPIC_API_KEY", resolved.Reason, StringComparison.Ordinal);
        Assert.Contains("no default for 'chat'", resolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PurposeModelVariable_NamesTheModelAndProvider()
    {
        var table = Table(new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-env-000000000000000000000000",
            ["OPENAI_API_KEY"] = "sk-openai-env-0000000000000000000000",
            ["MODELGATE_AGENTS_RESEARCHER_MODEL"] = "openai:gpt-4.1",
        });

        var resolved = table.Resolve(P("agents/researcher"));

        Assert.Equal(ProviderKind.OpenAI, resolved.Provider.Kind);
        Assert.Equal("gpt-4.1", resolved.Model.ModelId);
        Assert.Contains("MODELGATE_AGENTS_RESEARCHER_MODEL", resolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PurposeModelVariable_CanNameAPresetKind_WhichBringsItsKeyVariableAndAddress()
    {
        var table = Table(new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-openai-env-0000000000000000000000",
            ["MISTRAL_API_KEY"] = "mistral-env-0000000000000000000000KEY",
            ["MODELGATE_CHAT_MODEL"] = "mistral:mistral-small-latest",
        });

        var resolved = table.Resolve(Purpose.Chat);

        Assert.Equal("mistral", resolved.Provider.Kind.Name);
        Assert.Equal("mistral-small-latest", resolved.Model.ModelId);
        Assert.Equal("mistral-env-0000000000000000000000KEY", resolved.ApiKey);
        Assert.Equal("https://api.mistral.ai/v1", resolved.BaseUrl);
        Assert.Contains("MISTRAL_API_KEY", resolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AnOllamaStyleModelName_BehindOPENAI_BASE_URL_StaysTheOpenAICompatibleServersModel()
    {
        // "mistral:7b" is an Ollama tag: with OPENAI_BASE_URL pointing at Ollama and no MISTRAL_API_KEY, it names that model.
        var table = Table(new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "ollama",
            ["OPENAI_BASE_URL"] = "http://127.0.0.1:11434/v1",
            ["MODELGATE_CHAT_MODEL"] = "mistral:7b",
        });

        var resolved = table.Resolve(Purpose.Chat);

        Assert.Equal(ProviderKind.OpenAI, resolved.Provider.Kind);
        Assert.Equal("mistral:7b", resolved.Model.ModelId);
        Assert.Equal("http://127.0.0.1:11434/v1", resolved.BaseUrl);
    }

    [Fact]
    public void Resolve_PresetNamedWithoutItsKey_SaysWhichVariableToSet()
    {
        var error = Assert.Throws<ModelgateConfigurationException>(() => Table(new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-openai-env-0000000000000000000000",
            ["MODELGATE_CHAT_MODEL"] = "groq:llama-3.3-70b-versatile",
        }).Resolve(Purpose.Chat));

        Assert.Contains("set GROQ_API_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoSourceAtAll_ThrowsSayingWhatToConfigure()
    {
        var error = Assert.Throws<ModelgateConfigurationException>(() => Table().Resolve(Purpose.Agents));

        Assert.Equal("agents", error.Purpose);
        Assert.Contains("PUT /api/v1/llm-defaults/agents", error.Message, StringComparison.Ordinal);
        Assert.Contains("ANTHROPIC_API_KEY or OPENAI_API_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("MODELGATE_AGENTS_MODEL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EmbeddingsWithOnlyAnAnthropicKey_SaysEmbeddingsNeedOpenAI()
    {
        var error = Assert.Throws<ModelgateConfigurationException>(() =>
            Table(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-env-000000000000000000000000" }).Resolve(Purpose.Embeddings));

        Assert.Contains("OPENAI_API_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DefaultOnInactiveProvider_FallsToEnvironmentAndSaysWhy()
    {
        var provider = _catalog.Provider(active: false, name: "switched-off");
        _catalog.Default("chat", _catalog.Model(provider, "claude-x"));

        var resolved = Table(new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-openai-env-0000000000000000000000" }).Resolve(Purpose.Chat);

        Assert.Equal(ResolutionSource.Environment, resolved.Source);
        Assert.Contains("inactive provider", resolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AnthropicProviderWithoutKey_IsNotUsable_ButOllamaWithoutKeyIs()
    {
        _catalog.Default("chat", _catalog.Model(_catalog.Provider(ProviderKind.Anthropic, apiKey: null), "claude-x"));
        _catalog.Default("agents", _catalog.Model(_catalog.Provider(ProviderKind.Ollama, apiKey: null), "llama3.2"));
        var table = Table();

        var error = Assert.Throws<ModelgateConfigurationException>(() => table.Resolve(Purpose.Chat));
        Assert.Contains("no API key", error.Message, StringComparison.Ordinal);
        Assert.Null(table.Resolve(Purpose.Agents).ApiKey);
        Assert.Equal("llama3.2", table.Resolve(Purpose.Agents).Model.ModelId);
    }

    [Fact]
    public void Resolve_UndecryptableKey_FailsClosedEvenWhenTheEnvironmentCouldServe()
    {
        var good = _catalog.Provider();
        var other = _catalog.Provider();
        _catalog.Replace(good with { ApiKeyCiphertext = other.ApiKeyCiphertext });
        _catalog.Default("chat", _catalog.Model(good, "claude-x"));

        var error = Assert.Throws<ModelgateConfigurationException>(() =>
            Table(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-env-000000000000000000000000" }).Resolve(Purpose.Chat));

        Assert.Contains("cannot be decrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FromLastKnownGood_SaysSo()
    {
        _catalog.Default("chat", _catalog.Model(_catalog.Provider(), "claude-x"));

        var resolved = Table(origin: ResolutionSource.LastKnownGood).Resolve(Purpose.Chat);

        Assert.Equal(ResolutionSource.LastKnownGood, resolved.Source);
        Assert.Contains("last-known-good", resolved.Reason, StringComparison.Ordinal);
    }

    public void Dispose() => _catalog.Dispose();
}
