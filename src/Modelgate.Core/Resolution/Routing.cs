using Modelgate.Core.Experiments;

namespace Modelgate.Core.Resolution;

/// <summary>
/// Where a call goes: the models to try in order (the assigned variant's, when an experiment is live on what was asked
/// for, each carrying its <see cref="ResolvedModel.Arm"/>) and the shadow variants that receive a copy of it.
/// </summary>
public sealed record Routing(IReadOnlyList<ResolvedModel> Chain, IReadOnlyList<ResolvedModel> Shadows)
{
    /// <summary>The experiment arm the call was assigned, or null when no experiment took it.</summary>
    public ExperimentArm? Arm => Chain.Count > 0 ? Chain[0].Arm : null;
}
