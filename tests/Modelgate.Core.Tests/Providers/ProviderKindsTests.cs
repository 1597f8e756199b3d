using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;

namespace Modelgate.Core.Tests.Providers;

/// <summary>The registry of provider kinds, and what the preset kinds' descriptors say.</summary>
public sealed class ProviderKindsTests
{
    private static ProviderKind Kind(string name) => ProviderKinds.TryParse(name, out var kind) ? kind : throw new ArgumentException(name);

    [Fact]
    public void All_EveryKindHasAUniqueWireNameALabelAnAdapterAndHints()
    {
        Assert.Equal(ProviderKinds.All.Count, ProviderKinds.AllNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ProviderKinds.All, kind =>
        {
            Assert.Matches("^[a-z][a-z0-9-]*$", kind.Name);
            Assert.False(string.IsNullOrWhiteSpace(kind.Label), kind.Name);
            Assert.NotNull(kind.Adapter);
            Assert.False(string.IsNullOrWhiteSpace(kind.TelemetryName), kind.Name);
            Assert.False(string.IsNullOrWhiteSpace(kind.Form.BaseUrlHelp), kind.Name);
            Assert.False(string.IsNullOrWhiteSpace(kind.Form.KeyHelp), kind.Name);
            Assert.Same(kind, Kind(kind.Name));
        });
    }

    [Fact]
    public void TryParse_TheTypesStoredBeforePresets_NameTheSameKindsAsBefore()
    {
        Assert.Same(ProviderKind.Anthropic, Kind("anthropic"));
        Assert.Same(ProviderKind.OpenAI, Kind("openai"));
        Assert.Same(ProviderKind.AzureOpenAI, Kind("azure-openai"));
        Assert.Same(ProviderKind.Ollama, Kind("ollama"));
        Assert.Same(ProviderKind.OpenAICompatible, Kind("openai-compatible"));
    }

    [Theory]
    [InlineData("Mistral")]
    [InlineData("openai ")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_AnythingButAnExactWireName_IsNoKind(string? name)
    {
        Assert.False(ProviderKinds.TryParse(name, out var kind));
        Assert.Null(kind);
    }

    [Theory]
    [InlineData("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY")]
    [InlineData("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY")]
    [InlineData("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta/openai", "GEMINI_API_KEY")]
    public void HostedPresets_SpeakOpenAIAtTheirPublicAddress_WithABearerKey(string name, string address, string keyVariable)
    {
        var kind = Kind(name);

        Assert.Equal(ProviderProtocol.OpenAI, kind.Protocol);
        Assert.Equal(address, kind.DefaultBaseUrl);
        Assert.False(kind.RequiresBaseUrl);
        Assert.True(kind.RequiresApiKey);
        Assert.Null(kind.KeyHeader);
        Assert.Equal(keyVariable, kind.KeyVariable);
    }

    [Theory]
    [InlineData("bedrock", true)]
    [InlineData("vllm", false)]
    public void AddressedPresets_RequireABaseUrl(string name, bool needsKey)
    {
        var kind = Kind(name);

        Assert.Null(kind.DefaultBaseUrl);
        Assert.True(kind.RequiresBaseUrl);
        Assert.Equal(needsKey, kind.RequiresApiKey);
        Assert.Null(kind.KeyVariable);
    }

    [Theory]
    [InlineData("mistral", "Authorization", "Bearer k-123")]
    [InlineData("bedrock", "Authorization", "Bearer k-123")]
    [InlineData("azure-openai", "api-key", "k-123")]
    [InlineData("anthropic", "x-api-key", "k-123")]
    public void Authorize_PutsTheKeyWhereTheKindExpectsIt(string name, string header, string value)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/");

        Kind(name).Authorize(message, "k-123");

        Assert.Equal(value, Assert.Single(message.Headers.GetValues(header)));
    }

    [Fact]
    public void Provider_WithoutBaseUrl_CallsItsKindsAddress_AndItsOwnWhenItHasOne()
    {
        var kind = Kind("groq");
        var standard = new ProviderConfig(Guid.NewGuid(), "g", kind, null, null, null, true, false, RateLimits.None);

        Assert.Equal("https://api.groq.com/openai/v1", standard.EffectiveBaseUrl);
        Assert.Equal("http://127.0.0.1:9/v1", (standard with { BaseUrl = "http://127.0.0.1:9/v1" }).EffectiveBaseUrl);
    }
}
