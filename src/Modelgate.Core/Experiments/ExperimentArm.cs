namespace Modelgate.Core.Experiments;

/// <summary>
/// The experiment and variant a call was assigned (or, for <see cref="Shadow"/>, the copy it is): carried by every
/// model of the call's chain, so a call served by a fallback is still counted under its variant.
/// </summary>
public sealed record ExperimentArm(Guid ExperimentId, string Experiment, string Variant, bool Shadow = false)
{
    public override string ToString() => $"{Experiment}/{Variant}{(Shadow ? " (shadow)" : "")}";
}
