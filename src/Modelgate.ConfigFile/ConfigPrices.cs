namespace Modelgate.ConfigFile;

/// <summary>A model's prices in USD per million tokens; absent means unknown (not free).</summary>
public sealed record ConfigPrices(decimal? InputPerMillion = null, decimal? OutputPerMillion = null, decimal? CachedInputPerMillion = null);
