namespace Modelgate.Core.Catalog;

/// <summary>
/// One arm of an experiment: a model (null: whatever the experiment's target resolves to, as configured at the time),
/// parameter overrides laid over the model's own defaults, and a weight. A split variant's weight is its share of the
/// split, relative to the other split variants; a shadow variant's weight is the percentage (1–100) of the experiment's
/// calls it receives a copy of.
/// </summary>
public sealed record ExperimentVariant(string Name, Guid? ModelId, int Weight, ModelParameters? Parameters = null, bool Shadow = false);
