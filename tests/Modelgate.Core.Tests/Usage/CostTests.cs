using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Tests.Usage;

public sealed class CostTests
{
    private static readonly Pricing Sonnet = new(3m, 15m, 0.3m);

    [Fact]
    public void Cost_PricesUncachedCachedAndOutputTokensExactly()
    {
        Assert.Equal(0.0004503m, Cost.Of(new Pricing(0.15m, 0.6m, 0.075m), new TokenCounts(1234, 567, 1000)));
    }

    [Fact]
    public void CacheWrites_CostOneAndAQuarterOrTwiceTheInputPrice()
    {
        // 1000 plain + 2000 written for 5 minutes + 500 written for an hour + 4000 read, 100 out.
        var tokens = new TokenCounts(7500, 100, 4000) { CacheWrite = 2000, CacheWriteLong = 500 };

        Assert.Equal((1000 * 3m + 2000 * 3.75m + 500 * 6m + 4000 * 0.3m + 100 * 15m) / 1_000_000m, Cost.Of(Sonnet, tokens));
    }

    [Fact]
    public void UnknownPrice_ForTokensUsed_IsNull_NeverZero()
    {
        Assert.Null(Cost.Of(new Pricing(InputPerMillion: 1m), new TokenCounts(10, 5)));
        Assert.Null(Cost.Of(Pricing.Unknown, new TokenCounts(10, 0)));
        Assert.Equal(0m, Cost.Of(Pricing.Unknown, TokenCounts.None));
        // Cached input without a cached price is priced as input.
        Assert.Equal(0.00001m, Cost.Of(new Pricing(1m, 1m), new TokenCounts(10, 0, 10)));
    }

    [Fact]
    public void Picodollars_RoundTripEveryCostExactly_AndSaturate()
    {
        var cost = Cost.Of(new Pricing(0.000001m, 999999.999999m), new TokenCounts(3, 7))!.Value;

        Assert.Equal(cost, Cost.FromPicos(Cost.ToPicos(cost)));
        Assert.Equal(long.MaxValue, Cost.ToPicos(100_000_000m));
    }

    [Theory]
    [InlineData("openai", "gpt-4o-mini", "0.15")]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "0.15")]
    [InlineData("openai", "gpt-4o", "2.50")]
    [InlineData("azure-openai", "gpt-4.1-nano", "0.10")]
    [InlineData("openai", "o1-pro", "150.00")]
    [InlineData("openai", "o1", "15.00")]
    [InlineData("anthropic", "claude-sonnet-4-20250514", "3.00")]
    [InlineData("anthropic", "claude-opus-4-1-20250805", "15.00")]
    [InlineData("anthropic", "claude-haiku-4-5", "1.00")]
    [InlineData("ollama", "llama3.1:8b", "0")]
    public void BuiltInPrices_KnowTheFamilyAndItsDatedVersions(string type, string model, string input)
    {
        Assert.Equal(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture), BuiltInPrices.For(Kind(type), model)!.InputPerMillion);
    }

    [Theory]
    [InlineData("openai", "gpt-4o-audio-preview")]
    [InlineData("openai", "gpt-5-codex-mini")]
    [InlineData("openai", "ft:gpt-4o-mini:acme::abc")]
    [InlineData("openai-compatible", "gpt-4o")]
    [InlineData("anthropic", "claude-opus-4-9")]
    [InlineData("mistral", "mistral-large-latest")]
    [InlineData("groq", "llama-3.3-70b-versatile")]
    [InlineData("gemini", "gemini-2.5-flash")]
    [InlineData("bedrock", "openai.gpt-oss-120b-1:0")]
    public void BuiltInPrices_LeaveOtherModelsUnpriced(string type, string model)
    {
        Assert.Null(BuiltInPrices.For(Kind(type), model));
    }

    private static ProviderKind Kind(string type) => ProviderKinds.TryParse(type, out var kind) ? kind : throw new ArgumentException(type);

    [Fact]
    public void Budget_PeriodsStartAtMidnightAndOnTheFirst_UTC()
    {
        var now = new DateTimeOffset(2026, 11, 25, 23, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), Budget.PeriodStart(BudgetPeriod.Daily, now));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), Budget.PeriodEnd(BudgetPeriod.Monthly, now));
    }
}

public sealed class RequestIdTests
{
    [Fact]
    public void RequestIds_AreVersion7_OrderedByTime_AndDistinct()
    {
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestIds.Next(at)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        Assert.StartsWith(at.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture), ids[0].ToString("N"), StringComparison.Ordinal);
        Assert.True(string.CompareOrdinal(RequestIds.Next(at.AddMilliseconds(1)).ToString("N"), RequestIds.Next(at).ToString("N")) > 0);
    }
}
