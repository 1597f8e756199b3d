using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;

namespace Modelgate.Core.Resolution;

/// <summary>
/// Answers "which model, key and parameters for this purpose, right now?" from the catalog in effect.
/// Safe to hold for the application's lifetime: it keeps nothing of its own between calls.
/// </summary>
public sealed class ModelResolver(CurrentCatalog catalog)
{
    /// <summary>Resolves a purpose; throws <see cref="ModelgateConfigurationException"/> when nothing can serve it.</summary>
    public ResolvedModel Resolve(Purpose purpose) => catalog.State.Resolutions.Resolve(purpose);

    /// <summary>
    /// What a gateway caller asked for in <c>model</c>, in this order: a purpose (resolved as configured now), an alias, or a
    /// configured model by upstream name or id. Throws <see cref="ModelgateConfigurationException"/> when none applies.
    /// </summary>
    public ResolvedModel ResolveRequested(string requested)
    {
        var table = catalog.State.Resolutions;
        if (Purpose.TryParse(requested, out var purpose))
        {
            return table.Resolve(purpose);
        }

        if (table.TryAlias(requested, out var alias))
        {
            return alias.Entry.Model ?? throw new ModelgateConfigurationException(requested, alias.Entry.Error!);
        }

        var entry = table.ModelByName(requested);
        return entry.Model ?? throw new ModelgateConfigurationException(requested, entry.Error!);
    }

    /// <summary>
    /// Like <see cref="ResolveRequested"/>, with the purpose's fallbacks after it (an alias, or a model asked for by name, has
    /// none: the target's purpose fallbacks belong to the purpose, not to the model), from one read of the catalog.
    /// </summary>
    public IReadOnlyList<ResolvedModel> ResolveChain(string requested) => ChainOf(catalog.State.Resolutions, requested);

    /// <summary>
    /// Where a call for <paramref name="requested"/> goes now: <see cref="ResolveChain"/>, unless an experiment is live on
    /// that purpose or alias, in which case the chain of the variant <paramref name="unit"/> is assigned and the shadow
    /// copies it makes. One read of the catalog.
    /// </summary>
    public Routing Route(string requested, in ExperimentUnit unit, DateTimeOffset now)
    {
        var table = catalog.State.Resolutions;
        var chain = ChainOf(table, requested);
        return Routed(table, requested, chain, unit, now);
    }

    /// <summary>Like <see cref="Route(string, in ExperimentUnit, DateTimeOffset)"/>, for a purpose (direct mode).</summary>
    public Routing Route(Purpose purpose, in ExperimentUnit unit, DateTimeOffset now)
    {
        var table = catalog.State.Resolutions;
        return Routed(table, purpose.Name, table.Chain(purpose), unit, now);
    }

    /// <summary>The running experiment on a purpose or alias name as the catalog in effect resolves it, or null.</summary>
    public ExperimentRoute? ExperimentOn(string target) => catalog.State.Resolutions.TryExperiment(target, out var route) ? route : null;

    private static Routing Routed(ResolutionTable table, string requested, IReadOnlyList<ResolvedModel> chain, in ExperimentUnit unit, DateTimeOffset now) =>
        table.TryExperiment(requested, out var route) && route.Experiment.IsLive(now) ? route.Route(chain, unit) : new Routing(chain, []);

    private static IReadOnlyList<ResolvedModel> ChainOf(ResolutionTable table, string requested)
    {
        if (Purpose.TryParse(requested, out var purpose))
        {
            return table.Chain(purpose);
        }

        if (table.TryAlias(requested, out var alias))
        {
            return alias.Entry.Model is null ? throw new ModelgateConfigurationException(requested, alias.Entry.Error!) : alias.Chain;
        }

        var entry = table.ModelByName(requested);
        return entry.Model is { } model ? [model] : throw new ModelgateConfigurationException(requested, entry.Error!);
    }

    /// <summary>The model a purpose resolves to now, with its fallbacks after it, from one read of the catalog.</summary>
    public IReadOnlyList<ResolvedModel> Chain(Purpose purpose) => catalog.State.Resolutions.Chain(purpose);

    /// <summary>Resolves a purpose given by name (<c>chat</c>, <c>agents</c>, <c>embeddings</c>, <c>agents/&lt;type&gt;</c>).</summary>
    public ResolvedModel Resolve(string purpose) =>
        Purpose.TryParse(purpose, out var parsed, out var error) ? Resolve(parsed) : throw new ModelgateConfigurationException(purpose, error);
}
