namespace Modelgate.Core.Usage;

/// <summary>Who made a call: a gateway caller, or an application through the client library.</summary>
public enum UsageSource
{
    Gateway,
    Client,
}

/// <summary>
/// One call, as accounted: who asked (key id, never the secret), what for (purpose, experiment variant), what served it,
/// its tokens and cost, how long it took and how it ended. No prompt or completion text.
/// </summary>
public sealed record UsageRecord
{
    public required Guid RequestId { get; init; }

    /// <summary>When the call started.</summary>
    public required DateTimeOffset At { get; init; }

    public UsageSource Source { get; init; } = UsageSource.Gateway;

    /// <summary><c>chat</c> or <c>embeddings</c>.</summary>
    public string Operation { get; init; } = UsageOperations.Chat;

    public Guid? KeyId { get; init; }

    /// <summary>The purpose asked for (chat, agents/&lt;type&gt;, …), or null when a model was asked for by name.</summary>
    public string? Purpose { get; init; }

    /// <summary>The experiment that assigned the call a variant, if any.</summary>
    public Guid? ExperimentId { get; init; }

    /// <summary>The experiment variant that chose the model (kept when a fallback served the call), if any.</summary>
    public string? Variant { get; init; }

    /// <summary>
    /// The hash of the caller's session id (<see cref="Experiments.SessionHash"/>), when it sent one, so feedback may name the
    /// session; the id itself (often a user's identifier) is never part of a record, its journal or its spill file.
    /// </summary>
    public long? SessionHash { get; init; }

    public Guid? ProviderId { get; init; }
    public string? ProviderName { get; init; }
    public Guid? ModelId { get; init; }

    /// <summary>The upstream model name, e.g. <c>gpt-4o-mini</c>.</summary>
    public string? ModelName { get; init; }

    public TokenCounts Tokens { get; init; }

    /// <summary>USD at the price in force when the call ran; null when the model has no price for tokens it used.</summary>
    public decimal? Cost { get; init; }

    public int LatencyMs { get; init; }

    /// <summary>Streams only: from the start of the call to the first byte of the answer.</summary>
    public int? TimeToFirstTokenMs { get; init; }

    /// <summary>The HTTP status the caller got (200 for a success).</summary>
    public int Status { get; init; } = 200;

    /// <summary>Short and stable (e.g. <c>upstream_timeout</c>, <c>invalid_request</c>); null for a success.</summary>
    public string? ErrorClass { get; init; }

    public bool Streamed { get; init; }

    /// <summary>The catalog version that resolved the call.</summary>
    public long ConfigVersion { get; init; }

    public bool IsError => Status >= 400 || ErrorClass is not null;
}

/// <summary>The operations usage is recorded for.</summary>
public static class UsageOperations
{
    public const string Chat = "chat";
    public const string Embeddings = "embeddings";
}
