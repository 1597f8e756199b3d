namespace Modelgate.Core.Catalog;

/// <summary>
/// One variant as an administrator sends it: <see cref="ModelId"/> is the model's Modelgate id or its upstream model_id
/// (null: the experiment's target as configured at the time of each call); <see cref="Weight"/> is the variant's share of
/// the split (0–10000), or for a <see cref="Shadow"/> variant the percentage (1–100) of calls it gets a copy of.
/// </summary>
public sealed record ExperimentVariantChanges(string? Name, string? ModelId = null, int? Weight = null, bool Shadow = false, ModelParameters? Parameters = null);
