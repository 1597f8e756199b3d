using Modelgate.Core.Catalog;

namespace Modelgate.Core.Usage;

/// <summary>
/// Prices tokens exactly, in <see cref="decimal"/> USD. Prices are per million tokens with at most six decimal
/// places, so every cost is a whole number of picodollars (10⁻¹² USD), which is how it is stored.
/// </summary>
public static class Cost
{
    private const decimal PicosPerDollar = 1_000_000_000_000m;

    /// <summary>
    /// The cost of <paramref name="tokens"/> at <paramref name="pricing"/>: uncached input at the input price, cached
    /// input at the cached price (the input price when none is set), prompt-cache writes at Anthropic's multiples of
    /// the input price (1.25 × for 5 minutes, 2 × for an hour), output at the output price. Null when tokens were
    /// used whose price is unknown — never silently zero. No tokens cost nothing.
    /// </summary>
    public static decimal? Of(Pricing pricing, TokenCounts tokens)
    {
        var total = 0m;
        var writes = tokens.CacheWrite * 1.25m + tokens.CacheWriteLong * 2m;
        var uncached = Math.Max(0, tokens.Input - tokens.CachedInput - tokens.CacheWrite - tokens.CacheWriteLong);
        if (uncached > 0 || writes > 0)
        {
            if (pricing.InputPerMillion is not { } input)
            {
                return null;
            }

            total += (uncached + writes) * input;
        }

        if (tokens.CachedInput > 0)
        {
            if ((pricing.CachedInputPerMillion ?? pricing.InputPerMillion) is not { } cached)
            {
                return null;
            }

            total += tokens.CachedInput * cached;
        }

        if (tokens.Output > 0)
        {
            if (pricing.OutputPerMillion is not { } output)
            {
                return null;
            }

            total += tokens.Output * output;
        }

        return total / 1_000_000m;
    }

    /// <summary>USD as whole picodollars (exact for every cost <see cref="Of"/> returns; larger values saturate).</summary>
    public static long ToPicos(decimal usd)
    {
        var picos = decimal.Round(usd * PicosPerDollar, MidpointRounding.AwayFromZero);
        return picos >= long.MaxValue ? long.MaxValue : picos <= long.MinValue ? long.MinValue : (long)picos;
    }

    /// <summary>Picodollars — one call's, or a sum of many kept as a decimal — in USD.</summary>
    public static decimal FromPicos(decimal picos) => picos / PicosPerDollar;
}
