using Modelgate.Core.Catalog;

namespace Modelgate.Core.Resolution;

/// <summary>What is in effect: a snapshot, where it came from, and its precomputed resolutions. Replaced whole.</summary>
public sealed record CatalogState(CatalogSnapshot Snapshot, ResolutionSource Origin, ResolutionTable Resolutions, DateTimeOffset AppliedAt);
