namespace Modelgate.Storage.Catalog;

/// <summary>A provider as the admin API and the audit log show it: the key only as a mask.</summary>
public sealed record ProviderView(
    Guid Id,
    string Name,
    string Type,
    string? BaseUrl,
    bool HasApiKey,
    string? ApiKeyMask,
    bool IsActive,
    bool IsDefault,
    int? RequestsPerMinute,
    long? TokensPerMinute,
    IReadOnlyList<string> ShadowLimits,
    int ModelCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Revision);

/// <summary>A model as the admin API and the audit log show it, with the purposes it is the default for.</summary>
public sealed record ModelView(
    Guid Id,
    Guid ProviderId,
    string ProviderName,
    string ModelId,
    string? DisplayName,
    string Type,
    bool IsActive,
    double? Temperature,
    double? TopP,
    int? MaxTokens,
    decimal? InputPricePerMillion,
    decimal? OutputPricePerMillion,
    decimal? CachedInputPricePerMillion,
    int? ContextWindow,
    int? EmbeddingDimensions,
    int? RequestsPerMinute,
    long? TokensPerMinute,
    IReadOnlyList<string> ShadowLimits,
    bool IsDefaultForChat,
    bool IsDefaultForAgents,
    bool IsDefaultForEmbeddings,
    IReadOnlyList<string> DefaultForAgentTypes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Revision);

/// <summary>The default model of every purpose (null where unset); agent types keyed by their name.</summary>
public sealed record DefaultsView(
    ModelView? Chat,
    ModelView? Agents,
    ModelView? Embeddings,
    IReadOnlyDictionary<string, ModelView> AgentTypes);

/// <summary>
/// An alias as the admin API shows it: the row, and what this instance resolves it to now (<see cref="ResolvesTo"/>), or
/// why it cannot serve (<see cref="ResolveError"/>). <see cref="Revision"/> is the catalog version that last changed it.
/// </summary>
public sealed record AliasView(
    string Name,
    Guid ModelId,
    string ModelName,
    string ProviderName,
    string? Description,
    bool Deprecated,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Revision,
    AliasTarget? ResolvesTo = null,
    string? ResolveError = null);

/// <summary>Where calls through an alias go now: the upstream model_id and the provider's name.</summary>
public sealed record AliasTarget(string Model, string Provider);

/// <summary>One page of a list: the items, how many there are in all, and the window asked for.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, int Total, int Limit, int Offset);
