namespace Modelgate.Core.Catalog;

/// <summary>
/// The fields an administrator may set on a model. On update, absent fields stay as they are.
/// The <c>IsDefaultFor*</c> fields move a purpose's default to (true) or away from (false) this model.
/// </summary>
public sealed record ModelChanges
{
    public Optional<Guid?> ProviderId { get; init; }
    public Optional<string?> ModelId { get; init; }
    public Optional<string?> DisplayName { get; init; }
    public Optional<string?> Type { get; init; }
    public Optional<bool> IsActive { get; init; }
    public Optional<double?> Temperature { get; init; }
    public Optional<double?> TopP { get; init; }
    public Optional<int?> MaxTokens { get; init; }
    public Optional<decimal?> InputPricePerMillion { get; init; }
    public Optional<decimal?> OutputPricePerMillion { get; init; }
    public Optional<decimal?> CachedInputPricePerMillion { get; init; }
    public Optional<int?> ContextWindow { get; init; }
    public Optional<int?> EmbeddingDimensions { get; init; }

    /// <summary>Requests per minute to this model across every caller; null: no limit.</summary>
    public Optional<int?> RequestsPerMinute { get; init; }

    /// <summary>Tokens per minute to this model across every caller; null: no limit.</summary>
    public Optional<long?> TokensPerMinute { get; init; }

    /// <summary>Limits counted and reported but not enforced (<c>requests_per_minute</c>, <c>tokens_per_minute</c>); null or empty: none.</summary>
    public Optional<string[]?> ShadowLimits { get; init; }

    public Optional<bool> IsDefaultForChat { get; init; }
    public Optional<bool> IsDefaultForAgents { get; init; }
    public Optional<bool> IsDefaultForEmbeddings { get; init; }

    /// <summary>The complete list of agent types this model is the default for.</summary>
    public Optional<string[]?> DefaultForAgentTypes { get; init; }
}
