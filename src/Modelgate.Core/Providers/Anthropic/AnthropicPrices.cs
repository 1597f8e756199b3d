using Modelgate.Core.Usage;

namespace Modelgate.Core.Providers.Anthropic;

/// <summary>Anthropic's list prices (USD per million tokens: input, output, cache read).</summary>
internal static class AnthropicPrices
{
    public static BuiltInPriceList List { get; } = BuiltInPriceList.Of(
        ("claude-opus-4-5", new(5.00m, 25.00m, 0.50m)),
        ("claude-opus-4-1", new(15.00m, 75.00m, 1.50m)),
        ("claude-opus-4", new(15.00m, 75.00m, 1.50m)),
        ("claude-sonnet-4-5", new(3.00m, 15.00m, 0.30m)),
        ("claude-sonnet-4", new(3.00m, 15.00m, 0.30m)),
        ("claude-3-7-sonnet", new(3.00m, 15.00m, 0.30m)),
        ("claude-3-5-sonnet", new(3.00m, 15.00m, 0.30m)),
        ("claude-haiku-4-5", new(1.00m, 5.00m, 0.10m)),
        ("claude-3-5-haiku", new(0.80m, 4.00m, 0.08m)),
        ("claude-3-haiku", new(0.25m, 1.25m, 0.03m)));
}
