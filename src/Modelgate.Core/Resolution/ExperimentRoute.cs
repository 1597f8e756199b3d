using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;

namespace Modelgate.Core.Resolution;

/// <summary>
/// A running experiment as one snapshot resolves it, worked out once: each split variant's chain (its model with its
/// parameter overrides, then the target's fallbacks, every one carrying the variant's <see cref="ExperimentArm"/>), each
/// shadow variant's model, and the split's weights (0 for a variant that cannot serve now, whose share goes to the others).
/// </summary>
public sealed class ExperimentRoute
{
    private readonly IReadOnlyList<ResolvedModel>?[] _chains;
    private readonly int[] _weights;
    private readonly (ExperimentVariant Variant, ResolvedModel Model)[] _shadows;

    internal ExperimentRoute(Experiment experiment, IReadOnlyList<ResolvedModel>?[] chains, (ExperimentVariant, ResolvedModel)[] shadows, IReadOnlyList<string> problems)
    {
        Experiment = experiment;
        _chains = chains;
        _shadows = shadows;
        Problems = problems;
        _weights = [.. experiment.Variants.Select((v, i) => v.Shadow || chains[i] is null ? 0 : v.Weight)];
    }

    public Experiment Experiment { get; }

    /// <summary>Why some variants cannot serve now (their calls go to the others), for the API and the logs.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The unit's variant's chain and the shadow copies it makes; <paramref name="target"/> when no variant can serve.</summary>
    public Routing Route(IReadOnlyList<ResolvedModel> target, in ExperimentUnit unit)
    {
        if (VariantAssigner.Pick(Experiment, unit, _weights) is not { } picked)
        {
            return new Routing(target, []);
        }

        List<ResolvedModel>? shadows = null;
        foreach (var (variant, model) in _shadows)
        {
            if (VariantAssigner.Copies(Experiment, variant, unit, variant.Weight))
            {
                (shadows ??= []).Add(model);
            }
        }

        return new Routing(_chains[picked]!, (IReadOnlyList<ResolvedModel>?)shadows ?? []) { Target = target };
    }
}
