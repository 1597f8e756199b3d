namespace Modelgate.Core.Experiments;

/// <summary>
/// What a call offers to keep it on one experiment variant: its session id (if the caller sent one), its virtual key
/// (if any) and its request id. The experiment's <see cref="Catalog.ExperimentStickiness"/> decides which one is hashed.
/// </summary>
public readonly record struct ExperimentUnit(string? Session, Guid? KeyId, string RequestId)
{
    /// <summary>A unit with a fresh request id and nothing else: each call on its own.</summary>
    public static ExperimentUnit ForRequest() => new(null, null, Guid.NewGuid().ToString("N"));
}
