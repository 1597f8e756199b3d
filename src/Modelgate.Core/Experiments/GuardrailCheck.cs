using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments.Statistics;

namespace Modelgate.Core.Experiments;

/// <summary>A guardrail as one variant stands against it now, with a sentence saying so.</summary>
public sealed record GuardrailCheck(ExperimentGuardrail Guardrail, string Variant, GuardrailVerdict Verdict, Comparison Comparison, string Summary);
