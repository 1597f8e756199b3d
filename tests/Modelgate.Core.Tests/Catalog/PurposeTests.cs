using Modelgate.Core.Catalog;

namespace Modelgate.Core.Tests.Catalog;

public sealed class PurposeTests
{
    [Theory]
    [InlineData("chat", ModelKind.Chat)]
    [InlineData("agents", ModelKind.Chat)]
    [InlineData("embeddings", ModelKind.Embedding)]
    [InlineData("agents/researcher", ModelKind.Chat)]
    public void TryParse_KnownPurposes_ParseWithTheModelKindTheyNeed(string name, ModelKind kind)
    {
        Assert.True(Purpose.TryParse(name, out var purpose, out _));
        Assert.Equal(name, purpose.Name);
        Assert.Equal(kind, purpose.RequiredModelKind);
    }

    [Fact]
    public void AgentType_FallsBackToAgents()
    {
        Purpose.TryParse("agents/researcher", out var purpose, out _);

        Assert.Equal("researcher", purpose.AgentType);
        Assert.Equal(Purpose.Agents, purpose.Parent);
        Assert.Null(Purpose.Agents.Parent);
    }

    [Theory]
    [InlineData("Chat")]
    [InlineData("completion")]
    [InlineData("agents/")]
    [InlineData("agents/Researcher")]
    [InlineData("agents/a/b")]
    [InlineData("agents/{{7*7}}")]
    [InlineData("embeddings/x")]
    [InlineData("")]
    public void TryParse_UnknownOrMalformed_ExplainsWhatIsAllowed(string name)
    {
        Assert.False(Purpose.TryParse(name, out _, out var error));
        Assert.Contains("agents", error, StringComparison.Ordinal);
    }
}
