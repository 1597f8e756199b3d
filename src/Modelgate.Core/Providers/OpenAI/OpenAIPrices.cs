using Modelgate.Core.Usage;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>OpenAI's list prices (USD per million tokens: input, output, cached input), also Azure OpenAI's.</summary>
internal static class OpenAIPrices
{
    public static BuiltInPriceList List { get; } = BuiltInPriceList.Of(
        ("gpt-5-pro", new(15.00m, 120.00m)),
        ("gpt-5-nano", new(0.05m, 0.40m, 0.005m)),
        ("gpt-5-mini", new(0.25m, 2.00m, 0.025m)),
        ("gpt-5", new(1.25m, 10.00m, 0.125m)),
        ("gpt-4.1-nano", new(0.10m, 0.40m, 0.025m)),
        ("gpt-4.1-mini", new(0.40m, 1.60m, 0.10m)),
        ("gpt-4.1", new(2.00m, 8.00m, 0.50m)),
        ("gpt-4o-mini", new(0.15m, 0.60m, 0.075m)),
        ("gpt-4o", new(2.50m, 10.00m, 1.25m)),
        ("o4-mini", new(1.10m, 4.40m, 0.275m)),
        ("o3-mini", new(1.10m, 4.40m, 0.55m)),
        ("o3-pro", new(20.00m, 80.00m)),
        ("o3", new(2.00m, 8.00m, 0.50m)),
        ("o1-pro", new(150.00m, 600.00m)),
        ("o1-mini", new(1.10m, 4.40m, 0.55m)),
        ("o1", new(15.00m, 60.00m, 7.50m)),
        ("text-embedding-3-small", new(0.02m, 0m)),
        ("text-embedding-3-large", new(0.13m, 0m)),
        ("text-embedding-ada-002", new(0.10m, 0m)));
}
