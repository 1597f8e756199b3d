using Modelgate.Core.Catalog;

namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>llm_models</c>: an upstream model offered by a provider, with its defaults and prices.</summary>
public sealed class ModelEntity
{
    public Guid Id { get; set; }
    public Guid ProviderId { get; set; }
    public ProviderEntity? Provider { get; set; }

    /// <summary>The upstream name, e.g. <c>claude-sonnet-4-20250514</c>.</summary>
    public required string ModelId { get; set; }
    public string? DisplayName { get; set; }
    public required string Type { get; set; }
    public bool IsActive { get; set; } = true;
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? MaxTokens { get; set; }
    public decimal? InputPricePerMillion { get; set; }
    public decimal? OutputPricePerMillion { get; set; }
    public decimal? CachedInputPricePerMillion { get; set; }
    public int? ContextWindow { get; set; }
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Requests per minute to this model across every caller; null: no limit.</summary>
    public int? RequestsPerMinute { get; set; }
    public long? TokensPerMinute { get; set; }

    /// <summary>The limits only counted, not enforced (shadow mode), stored as the <see cref="LimitKinds"/> flags.</summary>
    public LimitKinds ShadowLimits { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Revision { get; set; } = 1;
}
