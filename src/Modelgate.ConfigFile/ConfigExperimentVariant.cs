namespace Modelgate.ConfigFile;

/// <summary>
/// One arm of an experiment: <see cref="Model"/> as <c>provider/model_id</c> (absent: the experiment's target as
/// configured at the time of each call), <see cref="Weight"/> its share of the split (0–10000, relative to the other
/// split variants) or, for a <see cref="Shadow"/> variant, the percentage (1–100) of calls it gets a copy of, and
/// parameters laid over the model's own.
/// </summary>
public sealed record ConfigExperimentVariant(string? Name = null, string? Model = null, int? Weight = null, bool Shadow = false, ConfigParameters? Parameters = null);
