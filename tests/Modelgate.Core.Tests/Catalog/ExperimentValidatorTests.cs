using Modelgate.Core.Catalog;

namespace Modelgate.Core.Tests.Catalog;

public sealed class ExperimentValidatorTests
{
    private static ExperimentChanges Valid(params ExperimentVariantChanges[] variants) => new()
    {
        Name = "cheaper-chat",
        Target = "chat",
        Variants = variants.Length > 0 ? variants : [new ExperimentVariantChanges("control", null, 90), new ExperimentVariantChanges("b", "gpt-4o-mini", 10)],
    };

    private static IDictionary<string, string[]> Errors(ExperimentChanges changes, bool creating = true) =>
        ExperimentValidator.Validate(changes, creating).ToDictionary();

    [Fact]
    public void Validate_AWellFormedExperiment_HasNoErrors() =>
        Assert.Empty(Errors(Valid() with
        {
            Stickiness = "key",
            Guardrails = new ExperimentGuardrail[] { new(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02), new(GuardrailMetrics.LatencyP95, MaxRatio: 1.5) },
            StartsAt = DateTimeOffset.UnixEpoch, EndsAt = DateTimeOffset.UnixEpoch.AddDays(7), Alpha = 0.5, Description = "try the small one",
        }));

    [Fact]
    public void Validate_CreateWithoutNameTargetOrVariants_SaysEachIsRequired()
    {
        var errors = Errors(new ExperimentChanges());

        Assert.Equal(["name", "target", "variants"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("slash/not-allowed")]
    [InlineData("0193a1b2-0000-7000-8000-000000000001")]
    public void Validate_BadName_NamesTheField(string name) => Assert.Contains("name", Errors(Valid() with { Name = name }).Keys);

    [Fact]
    public void Validate_NameOf101Characters_IsTooLong_And100IsFine()
    {
        Assert.Contains("name", Errors(Valid() with { Name = new string('a', 101) }).Keys);
        Assert.Empty(Errors(Valid() with { Name = "a1-_." + new string('z', 95) }));
    }

    [Fact]
    public void Validate_OneVariantOrEleven_IsRefused()
    {
        Assert.Contains("variants", Errors(Valid(new ExperimentVariantChanges("control", null, 1))).Keys);
        Assert.Contains("variants", Errors(Valid([.. Enumerable.Range(0, 11).Select(i => new ExperimentVariantChanges($"v{i}", null, 1))])).Keys);
    }

    [Fact]
    public void Validate_DuplicateVariantNames_IgnoringCase_NamesTheSecond()
    {
        var errors = Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges("Control", "m", 1)));

        Assert.Contains("used twice", Assert.Single(errors["variants[1].name"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("b c")]
    [InlineData("_b")]
    public void Validate_BadVariantName_NamesTheVariant(string name) =>
        Assert.Contains("variants[1].name", Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges(name, "m", 1))).Keys);

    [Fact]
    public void Validate_VariantNameOf51Characters_IsTooLong() =>
        Assert.Contains("variants[1].name", Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges(new string('b', 51), "m", 1))).Keys);

    [Fact]
    public void Validate_ShadowControl_IsRefused() =>
        Assert.Contains("variants[0].shadow", Errors(Valid(new ExperimentVariantChanges("control", null, 10, Shadow: true), new ExperimentVariantChanges("b", "m", 10))).Keys);

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Validate_SplitWeightOutside0To10000_NamesTheVariantsWeight(int weight) =>
        Assert.Contains("variants[1].weight", Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges("b", "m", weight))).Keys);

    [Fact]
    public void Validate_MissingWeight_IsRequired() =>
        Assert.Contains("is required", Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges("b", "m")))["variants[1].weight"][0], StringComparison.Ordinal);

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_ShadowWeightOutside1To100Percent_NamesTheWeight(int weight) =>
        Assert.Contains("percentage", Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges("s", "m", weight, Shadow: true)))["variants[1].weight"][0],
            StringComparison.Ordinal);

    [Fact]
    public void Validate_SplitWeightsAddingUpToZero_AreRefused_ShadowsNotCounted() =>
        Assert.Contains("variants", Errors(Valid(new ExperimentVariantChanges("control", null, 0), new ExperimentVariantChanges("s", "m", 50, Shadow: true))).Keys);

    [Fact]
    public void Validate_ControlWithoutAModel_AndASplitOfZeroAndOne_AreFine() =>
        Assert.Empty(Errors(Valid(new ExperimentVariantChanges("control", null, 0), new ExperimentVariantChanges("b", "m", 1), new ExperimentVariantChanges("s", "m", 100, Shadow: true))));

    [Fact]
    public void Validate_BlankModelReference_NamesTheVariantsModel() =>
        Assert.Contains("variants[1].model_id", Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges("b", " ", 1))).Keys);

    [Fact]
    public void Validate_VariantParametersOutOfRange_NameEachParameter()
    {
        var errors = Errors(Valid(new ExperimentVariantChanges("control", null, 1), new ExperimentVariantChanges("b", "m", 1, Parameters: new ModelParameters(2.5, 1.5, 0))));

        Assert.Equal(["variants[1].parameters.max_tokens", "variants[1].parameters.temperature", "variants[1].parameters.top_p"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_UnknownGuardrailMetric_NamesTheMetric() =>
        Assert.Contains("guardrails[0].metric", Errors(Valid() with { Guardrails = new ExperimentGuardrail[] { new("p99", MaxRatio: 2) } }).Keys);

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.01)]
    public void Validate_ErrorRateGuardrail_NeedsAnIncreaseAbove0AndUpTo1(double increase) =>
        Assert.Contains("guardrails[0].max_increase", Errors(Valid() with { Guardrails = new ExperimentGuardrail[] { new(GuardrailMetrics.ErrorRate, MaxIncrease: increase) } }).Keys);

    [Theory]
    [InlineData(1.0)]
    [InlineData(100.5)]
    public void Validate_RatioGuardrail_NeedsARatioAbove1AndUpTo100(double ratio) =>
        Assert.Contains("guardrails[0].max_ratio", Errors(Valid() with { Guardrails = new ExperimentGuardrail[] { new(GuardrailMetrics.CostPerCall, MaxRatio: ratio) } }).Keys);

    [Fact]
    public void Validate_GuardrailWithTheOtherBound_IsRefused()
    {
        var errors = Errors(Valid() with
        {
            Guardrails = new ExperimentGuardrail[] { new(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02, MaxRatio: 2), new(GuardrailMetrics.TimeToFirstTokenP95, MaxIncrease: 0.1) },
        });

        Assert.Contains("guardrails[0].max_ratio", errors.Keys);
        Assert.Contains("guardrails[1].max_ratio", errors.Keys);
        Assert.Contains("guardrails[1].max_increase", errors.Keys);
    }

    [Fact]
    public void Validate_TwoGuardrailsOnOneMetric_AreRefused() =>
        Assert.Contains("guardrails[1].metric", Errors(Valid() with
        {
            Guardrails = new ExperimentGuardrail[] { new(GuardrailMetrics.LatencyP95, MaxRatio: 2), new(GuardrailMetrics.LatencyP95, MaxRatio: 3) },
        }).Keys);

    [Theory]
    [InlineData("sticky")]
    [InlineData("Session")]
    public void Validate_UnknownStickiness_NamesIt(string stickiness) => Assert.Contains("stickiness", Errors(Valid() with { Stickiness = stickiness }).Keys);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.51)]
    [InlineData(-0.05)]
    public void Validate_AlphaOutsideAbove0UpTo0Point5_NamesIt(double alpha) => Assert.Contains("alpha", Errors(Valid() with { Alpha = alpha }).Keys);

    [Fact]
    public void Validate_EndBeforeOrAtStart_NamesEndsAt()
    {
        Assert.Contains("ends_at", Errors(Valid() with { StartsAt = DateTimeOffset.UnixEpoch.AddDays(1), EndsAt = DateTimeOffset.UnixEpoch }).Keys);
        Assert.Contains("ends_at", Errors(Valid() with { StartsAt = DateTimeOffset.UnixEpoch, EndsAt = DateTimeOffset.UnixEpoch }).Keys);
    }

    [Fact]
    public void Validate_DescriptionOver500Characters_NamesIt() =>
        Assert.Contains("description", Errors(Valid() with { Description = new string('d', 501) }).Keys);

    [Fact]
    public void Validate_UpdateOfOneField_ChecksOnlyThatField() =>
        Assert.Empty(Errors(new ExperimentChanges { Description = "only this" }, creating: false));
}
