namespace Modelgate.Core.Experiments;

/// <summary>
/// What a call offers to keep it on one experiment variant: its session id (if the caller sent one), its virtual key
/// (if any) and its request id. The experiment's <see cref="Catalog.ExperimentStickiness"/> decides which one is hashed.
/// </summary>
public readonly record struct ExperimentUnit(string? Session, Guid? KeyId, string RequestId)
{
    /// <summary>The longest session id kept; a longer one is cut (it is hashed, so only its start decides).</summary>
    public const int MaxSessionLength = 256;

    /// <summary>A unit with a fresh request id and nothing else: each call on its own.</summary>
    public static ExperimentUnit ForRequest() => new(null, null, Guid.NewGuid().ToString("N"));

    /// <summary>A session id as sent, trimmed and bounded; null when empty.</summary>
    public static string? CleanSession(string? session)
    {
        var trimmed = session?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > MaxSessionLength ? trimmed[..MaxSessionLength] : trimmed;
    }
}
