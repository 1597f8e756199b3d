namespace Modelgate.Core.Catalog;

/// <summary>Default request parameters of a model; null leaves the provider's own default.</summary>
public sealed record ModelParameters(double? Temperature = null, double? TopP = null, int? MaxTokens = null)
{
    public static readonly ModelParameters None = new();
}

/// <summary>Prices in USD per million tokens; null means unknown (not free).</summary>
public sealed record Pricing(decimal? InputPerMillion = null, decimal? OutputPerMillion = null, decimal? CachedInputPerMillion = null)
{
    public static readonly Pricing Unknown = new();
}

/// <summary>
/// Limits of a provider, a model or a virtual key: requests and tokens per minute, and (keys only) requests in flight
/// at once; null means none. A limit named in <see cref="Shadow"/> is counted and reported but not enforced, so a new
/// limit can be watched before it is switched on.
/// </summary>
public sealed record RateLimits(int? RequestsPerMinute = null, long? TokensPerMinute = null)
{
    public static readonly RateLimits None = new();

    /// <summary>Requests in flight at once (virtual keys only); null: no limit.</summary>
    public int? ConcurrentRequests { get; init; }

    /// <summary>The limits that are counted and reported but not enforced.</summary>
    public LimitKinds Shadow { get; init; }

    /// <summary>Whether <paramref name="kind"/> is only counted (shadow mode), not enforced.</summary>
    public bool IsShadow(LimitKinds kind) => (Shadow & kind) != 0;
}

/// <summary>A provider as configured. The key stays encrypted here; only resolution decrypts it.</summary>
public sealed record ProviderConfig(
    Guid Id,
    string Name,
    ProviderKind Kind,
    string? BaseUrl,
    string? ApiKeyCiphertext,
    string? ApiKeyMask,
    bool IsActive,
    bool IsDefault,
    RateLimits Limits)
{
    /// <summary>Kinds that cannot be called without a key (local and self-hosted endpoints may not need one).</summary>
    public bool RequiresApiKey => Kind.RequiresApiKey;

    /// <summary>Where its calls go: its base_url, or its kind's well-known address when it has none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EffectiveBaseUrl => BaseUrl ?? Kind.DefaultBaseUrl;

    /// <summary>Names the provider without its key material (not even the ciphertext).</summary>
    public override string ToString() => $"ProviderConfig {{ Id = {Id}, Name = {Name}, Kind = {Kind.ToName()}, BaseUrl = {BaseUrl}, ApiKey = {ApiKeyMask ?? "(none)"} }}";
}

/// <summary>A model as configured: what to call it upstream, its defaults and its prices.</summary>
public sealed record ModelDefinition(
    Guid Id,
    Guid ProviderId,
    string ModelId,
    string? DisplayName,
    ModelKind Kind,
    bool IsActive,
    ModelParameters Parameters,
    Pricing Pricing,
    int? ContextWindow,
    int? EmbeddingDimensions)
{
    /// <summary>Requests and tokens per minute for this model (across every caller); none by default.</summary>
    public RateLimits Limits { get; init; } = RateLimits.None;
}
