namespace Modelgate.Storage.Experiments;

/// <summary>
/// An experiment's usage and feedback per variant (its variants in order, then any names its calls carry that it no
/// longer defines), over [<see cref="From"/>, <see cref="To"/>) (null: open). Usage comes from raw records, which are kept
/// from <see cref="RawSince"/>; older calls are not counted.
/// </summary>
public sealed record ExperimentUsage(Guid ExperimentId, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset RawSince, IReadOnlyList<VariantUsage> Variants);
