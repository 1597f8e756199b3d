namespace Modelgate.Storage.Usage;

/// <summary>A usage question: a time range [From, To), what to group by, and optional filters.</summary>
public sealed record UsageRequest(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageDimension> GroupBy)
{
    public Guid? ModelId { get; init; }

    /// <summary>Only these models (e.g. the ones a page shows), when set.</summary>
    public IReadOnlySet<Guid>? ModelIds { get; init; }
    public Guid? ProviderId { get; init; }
    public Guid? KeyId { get; init; }
    public string? Purpose { get; init; }

    /// <summary>Only calls made with keys that carry this team label now.</summary>
    public string? Team { get; init; }
}
