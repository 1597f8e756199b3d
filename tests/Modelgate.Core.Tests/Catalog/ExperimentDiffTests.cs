using Modelgate.Core.Catalog;

namespace Modelgate.Core.Tests.Catalog;

public sealed class ExperimentDiffTests
{
    private static readonly ProviderConfig Provider = new(Guid.NewGuid(), "openai", ProviderKind.OpenAI, null, null, null, true, false, RateLimits.None);
    private static readonly ModelDefinition Big = Model("gpt-4o");
    private static readonly ModelDefinition Small = Model("gpt-4o-mini");

    private static ModelDefinition Model(string name) =>
        new(Guid.NewGuid(), Provider.Id, name, null, ModelKind.Chat, true, ModelParameters.None, Pricing.Unknown, null, null);

    private static CatalogSnapshot Snapshot(IEnumerable<ModelDefinition> models, params Experiment[] experiments) =>
        new(1, DateTimeOffset.UnixEpoch, [Provider], models, new Dictionary<string, Guid>(), experiments: experiments);

    private static readonly Experiment Cheaper = new()
    {
        Id = Guid.NewGuid(), Name = "cheaper", Target = "chat",
        Variants = [new ExperimentVariant("control", Big.Id, 90), new ExperimentVariant("b", Small.Id, 10, Shadow: true)],
    };

    [Fact]
    public void Between_AddedExperiment_ShowsItsVariantsWithModelNamesAndIds()
    {
        var change = Assert.Single(CatalogDiff.Between(Snapshot([Big, Small]), Snapshot([Big, Small], Cheaper)));

        Assert.Equal(("added", "experiment", Cheaper.Id.ToString(), "cheaper"), (change.Kind, change.Entity, change.Id, change.Name));
        Assert.Equal($"control: gpt-4o ({Big.Id}) 90; b: gpt-4o-mini ({Small.Id}) 10 shadow", change.Fields["variants"].After);
        Assert.Equal("chat", change.Fields["target"].After);
        Assert.Equal("running", change.Fields["state"].After);
    }

    [Fact]
    public void Between_WeightsAndStateChanged_ShowsOnlyThoseFields()
    {
        var stopped = Cheaper with
        {
            Variants = [new ExperimentVariant("control", Big.Id, 50), new ExperimentVariant("b", Small.Id, 10, Shadow: true)],
            State = ExperimentState.Stopped, StopReason = "promoted variant 'b'",
        };

        var change = Assert.Single(CatalogDiff.Between(Snapshot([Big, Small], Cheaper), Snapshot([Big, Small], stopped)));

        Assert.Equal(["state", "stop_reason", "variants"], change.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal($"control: gpt-4o ({Big.Id}) 50; b: gpt-4o-mini ({Small.Id}) 10 shadow", change.Fields["variants"].After);
        Assert.Equal(("running", "stopped"), (change.Fields["state"].Before, change.Fields["state"].After));
    }

    [Fact]
    public void Between_RenamedModel_IsAModelChangeOnly_NotAnExperimentChange()
    {
        var renamed = Small with { ModelId = "gpt-4o-mini-2" };

        var changes = CatalogDiff.Between(Snapshot([Big, Small], Cheaper), Snapshot([Big, renamed], Cheaper with { Variants = [.. Cheaper.Variants] }));

        Assert.Equal("model", Assert.Single(changes).Entity);
    }

    [Fact]
    public void Between_ParametersAndAControlWithoutModel_AreShown()
    {
        var tuned = Cheaper with
        {
            Variants = [new ExperimentVariant("control", null, 1), new ExperimentVariant("cool", null, 1, new ModelParameters(Temperature: 0.2, MaxTokens: 100))],
        };

        var change = Assert.Single(CatalogDiff.Between(Snapshot([Big, Small], Cheaper), Snapshot([Big, Small], tuned)));

        Assert.Equal("control: (the target as configured) 1; cool: (the target as configured) 1 temperature=0.2 max_tokens=100", change.Fields["variants"].After);
    }

    [Fact]
    public void Between_RemovedExperiment_IsRemoved() =>
        Assert.Equal("removed", Assert.Single(CatalogDiff.Between(Snapshot([Big, Small], Cheaper), Snapshot([Big, Small]))).Kind);
}
