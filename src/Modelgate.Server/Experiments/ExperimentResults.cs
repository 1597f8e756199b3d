namespace Modelgate.Server.Experiments;

/// <summary>
/// An experiment's results as the admin API answers them and the console shows them: each variant's figures, the
/// comparisons with the control, the split's sample ratio check and the guardrails' state (<see cref="ExperimentResultsReader"/>).
/// </summary>
public sealed record ExperimentResults(
    Guid Id, string Name, string Target, string Phase, string? StopReason, double Alpha, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset RawSince,
    IReadOnlyList<VariantResult> Variants, IReadOnlyList<ComparisonResult> Comparisons, SampleRatio? SampleRatio, IReadOnlyList<GuardrailState> Guardrails,
    IReadOnlyList<string> Problems);
