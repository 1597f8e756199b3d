using Modelgate.Core.Catalog;

namespace Modelgate.Core.Tests.Catalog;

public sealed class ModelValidatorTests
{
    [Theory]
    [InlineData(-0.1)]
    [InlineData(2.01)]
    public void Validate_TemperatureOutside0To2_NamesTheField(double temperature)
    {
        var errors = ModelValidator.Validate(new ModelChanges { Temperature = temperature }, creating: false);

        Assert.Contains("temperature", errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    public void Validate_TopPOutside0To1_NamesTheField(double topP) =>
        Assert.Contains("top_p", ModelValidator.Validate(new ModelChanges { TopP = topP }, creating: false).ToDictionary().Keys);

    [Fact]
    public void Validate_NegativePrice_IsRefused()
    {
        var errors = ModelValidator.Validate(new ModelChanges { InputPricePerMillion = -1m }, creating: false).ToDictionary();

        Assert.Contains("must not be negative", errors["input_price_per_million"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PriceWithMoreThanSixDecimals_IsRefusedRatherThanRounded() =>
        Assert.Contains("cached_input_price_per_million", ModelValidator.Validate(new ModelChanges { CachedInputPricePerMillion = 0.0000001m }, creating: false).ToDictionary().Keys);

    [Fact]
    public void Validate_ZeroMaxTokens_IsRefused() =>
        Assert.Contains("max_tokens", ModelValidator.Validate(new ModelChanges { MaxTokens = 0 }, creating: false).ToDictionary().Keys);

    [Fact]
    public void Validate_CreateWithoutModelId_SaysItIsRequired() =>
        Assert.Equal(["model_id is required"], ModelValidator.Validate(new ModelChanges(), creating: true).ToDictionary()["model_id"]);

    [Fact]
    public void Validate_BoundaryValues_AreAccepted() =>
        Assert.True(ModelValidator.Validate(new ModelChanges { ModelId = "m", Temperature = 2.0, TopP = 0.0, InputPricePerMillion = 0m, OutputPricePerMillion = 15.123456m }, creating: true).IsEmpty);
}
