namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>usage_series</c>: one combination of who, what for and what served it (key, purpose, experiment and
/// variant, provider, model, operation, source). Usage rows point here by a small number instead of repeating names and ids,
/// which keeps each usage row small. Absent parts are empty (never null) so the combination is unique.
/// </summary>
public sealed class UsageSeriesEntity
{
    public int Id { get; set; }
    public required string Source { get; set; }
    public required string Operation { get; set; }
    public Guid KeyId { get; set; }
    public string Purpose { get; set; } = "";

    /// <summary>The experiment that assigned the calls their <see cref="Variant"/>; <see cref="Guid.Empty"/> when none.</summary>
    public Guid ExperimentId { get; set; }
    public string Variant { get; set; } = "";
    public Guid ProviderId { get; set; }
    public string ProviderName { get; set; } = "";
    public Guid ModelId { get; set; }
    public string ModelName { get; set; } = "";
}

/// <summary>
/// A row of <c>usage_records</c>: one call. Compact by design (about 100 bytes): times as Unix milliseconds, cost
/// in whole picodollars (exact), the rest of the call's identity in <see cref="SeriesId"/>.
/// </summary>
public sealed class UsageRecordEntity
{
    public long Id { get; set; }

    /// <summary>The request id as 16 bytes; unique, so a replayed spill file never counts a call twice.</summary>
    public required byte[] RequestId { get; set; }
    public long AtMs { get; set; }
    public int SeriesId { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CachedTokens { get; set; }

    /// <summary>USD × 10¹²; null: the model had no price for tokens it used.</summary>
    public long? CostPicos { get; set; }
    public int LatencyMs { get; set; }
    public int? TtftMs { get; set; }
    public int Status { get; set; }
    public string? ErrorClass { get; set; }

    /// <summary><see cref="UsageFlags"/>.</summary>
    public int Flags { get; set; }
    public long ConfigVersion { get; set; }

    /// <summary>The caller's session id as stored of it (<see cref="Core.Experiments.SessionHash"/>), when it sent one.</summary>
    public long? SessionHash { get; set; }
}

/// <summary>Bits of <see cref="UsageRecordEntity.Flags"/>.</summary>
[Flags]
public enum UsageFlags
{
    None = 0,
    Streamed = 1,
    Estimated = 2,
}

/// <summary>
/// A row of <c>usage_rollups</c>: one series on one UTC day, summed. Kept for ever; raw rows are pruned after the
/// retention period once their day is rolled up. Latency histograms merge exactly (see LatencyHistogram).
/// </summary>
public sealed class UsageRollupEntity
{
    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public int Day { get; set; }
    public int SeriesId { get; set; }
    public long Requests { get; set; }
    public long Errors { get; set; }
    public long Streamed { get; set; }
    public long Estimated { get; set; }
    public long Unpriced { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CachedTokens { get; set; }
    public long CostPicos { get; set; }
    public long LatencyMsSum { get; set; }
    public string LatencyHistogram { get; set; } = "";
    public string TtftHistogram { get; set; } = "";
}

/// <summary>A row of <c>key_spend</c>: what a virtual key spent on one UTC day, in picodollars (budgets sum the days of their period).</summary>
public sealed class KeySpendEntity
{
    public Guid KeyId { get; set; }
    public int Day { get; set; }
    public long CostPicos { get; set; }
}

/// <summary>A row of <c>model_prices</c>: the prices a model had from <see cref="EffectiveFrom"/> until the next row.</summary>
public sealed class ModelPriceEntity
{
    public long Id { get; set; }
    public Guid ModelId { get; set; }
    public DateTime EffectiveFrom { get; set; }
    public decimal? InputPerMillion { get; set; }
    public decimal? OutputPerMillion { get; set; }
    public decimal? CachedInputPerMillion { get; set; }

    /// <summary>Who set it: an administrator, or <c>built-in</c> for the built-in price list.</summary>
    public required string SetBy { get; set; }
}
