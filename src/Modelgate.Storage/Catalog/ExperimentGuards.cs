using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// What model and provider changes check of experiments: the running (not ended) ones whose variants use a model that is
/// going away or can no longer serve them. Refused unless forced; forced, those experiments are stopped in the same
/// transaction, each saying why.
/// </summary>
internal static class ExperimentGuards
{
    /// <summary>Running, not ended experiments any of whose variants use one of <paramref name="models"/>, with those variants.</summary>
    public static async Task<List<(ExperimentEntity Experiment, string[] Variants)>> UsingAsync(
        ModelgateDbContext db, IReadOnlyCollection<Guid> models, DateTime now, CancellationToken cancellationToken)
    {
        if (models.Count == 0)
        {
            return [];
        }

        var rows = await ExperimentRows.Unfinished(db.Experiments, now).OrderBy(e => e.Name).ToListAsync(cancellationToken);
        return [.. rows
            .Select(r => (r, ExperimentRows.ReadVariants(r.Variants).Where(v => v.ModelId is { } id && models.Contains(id)).Select(v => v.Name).ToArray()))
            .Where(x => x.Item2.Length > 0)];
    }

    /// <summary>Running, not ended experiments on any of the aliases.</summary>
    public static async Task<List<ExperimentEntity>> OnAliasesAsync(
        ModelgateDbContext db, IReadOnlyCollection<string> aliases, DateTime now, CancellationToken cancellationToken) =>
        aliases.Count == 0
            ? []
            : await ExperimentRows.Unfinished(db.Experiments, now).Where(e => aliases.Contains(e.Target)).OrderBy(e => e.Name).ToListAsync(cancellationToken);

    /// <summary><c>running experiment 'a' (variant 'b'), 'c' (variants 'x', 'y')</c>.</summary>
    public static string Describe(IReadOnlyList<(ExperimentEntity Experiment, string[] Variants)> experiments) =>
        "running experiment " + string.Join(", ", experiments.Select(u =>
            $"'{u.Experiment.Name}' (variant{(u.Variants.Length > 1 ? "s" : "")} {string.Join(", ", u.Variants.Select(v => $"'{v}'"))})"));

    public static void StopAll(ModelgateDbContext db, IEnumerable<ExperimentEntity> experiments, string reason, string actor, DateTime now)
    {
        foreach (var experiment in experiments.Where(e => e.State != ExperimentRows.Stopped))
        {
            ExperimentStore.Stop(db, experiment, reason, actor, now);
        }
    }
}
