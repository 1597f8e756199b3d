using Modelgate.Core.Catalog;

namespace Modelgate.Core.Resolution;

/// <summary>An alias's outcome: the entry (a model or an error) and its chain (the target alone; empty when it cannot serve).</summary>
public sealed record AliasResolution(ModelAlias Alias, ResolutionEntry Entry, IReadOnlyList<ResolvedModel> Chain);
