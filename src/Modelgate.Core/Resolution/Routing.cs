using Modelgate.Core.Experiments;

namespace Modelgate.Core.Resolution;

/// <summary>
/// Where a call goes: the models to try in order (the assigned variant's, when an experiment is live on what was asked
/// for, each carrying its <see cref="ResolvedModel.Arm"/>) and the shadow variants that receive a copy of it.
/// </summary>
public sealed record Routing(IReadOnlyList<ResolvedModel> Chain, IReadOnlyList<ResolvedModel> Shadows)
{
    /// <summary>
    /// What was asked for resolves to without any experiment (the same as <see cref="Chain"/> when none took the call): where
    /// a caller goes whose key may not use its assigned variant.
    /// </summary>
    public IReadOnlyList<ResolvedModel> Target { get; init; } = Chain;

    /// <summary>The call outside the experiment: <see cref="Target"/>, no shadow copies.</summary>
    public Routing WithoutExperiment() => new(Target, []);

    /// <summary>The experiment arm the call was assigned, or null when no experiment took it.</summary>
    public ExperimentArm? Arm => Chain.Count > 0 ? Chain[0].Arm : null;
}
