namespace Modelgate.Storage.Catalog;

/// <summary>The outcome of an apply: the plan carried out, and the version it published (null when nothing changed).</summary>
public sealed record ConfigApplied(ConfigPlan Plan, long? Version);
