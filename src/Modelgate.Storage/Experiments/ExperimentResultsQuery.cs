using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Usage;

namespace Modelgate.Storage.Experiments;

/// <summary>
/// An experiment's raw results per variant (<see cref="ExperimentUsage"/>): its calls' usage rows streamed from the
/// database (only the columns needed, only its series) and summed in process, and its feedback summed per variant and
/// metric by the database. Works the same on SQLite and PostgreSQL.
/// </summary>
public sealed class ExperimentResultsQuery(IDbContextFactory<ModelgateDbContext> contexts)
{
    /// <summary>The experiment's results over [<paramref name="from"/>, <paramref name="to"/>) (null: open), or null when there is no such experiment.</summary>
    public async Task<ExperimentUsage?> RunAsync(Guid experimentId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == experimentId, cancellationToken);
        if (experiment is null)
        {
            return null;
        }

        var variants = new Dictionary<string, VariantAccumulator>(StringComparer.Ordinal);
        VariantAccumulator Variant(string name) => variants.TryGetValue(name, out var found) ? found : variants[name] = new VariantAccumulator(name);
        foreach (var defined in ExperimentRows.ReadVariants(experiment.Variants))
        {
            Variant(defined.Name);
        }

        var series = await db.UsageSeries.AsNoTracking().Where(s => s.ExperimentId == experimentId).ToDictionaryAsync(s => s.Id, s => s.Variant, cancellationToken);
        if (series.Count > 0)
        {
            await UsageRows.ReadAsync(db, from?.ToUnixTimeMilliseconds() ?? 0, to?.ToUnixTimeMilliseconds() ?? long.MaxValue, series.Keys,
                row => Variant(series[row.SeriesId]).Add(row), cancellationToken);
        }

        var feedback = db.Feedback.AsNoTracking().Where(f => f.ExperimentId == experimentId);
        if (from is { } start)
        {
            var since = start.UtcDateTime;
            feedback = feedback.Where(f => f.CreatedAt >= since);
        }

        if (to is { } end)
        {
            var until = end.UtcDateTime;
            feedback = feedback.Where(f => f.CreatedAt < until);
        }

        var metrics = await feedback.GroupBy(f => new { f.Variant, f.Metric })
            .Select(g => new { g.Key.Variant, g.Key.Metric, Count = g.LongCount(), Sum = g.Sum(f => f.Value), Squares = g.Sum(f => f.Value * f.Value) })
            .ToListAsync(cancellationToken);
        foreach (var metric in metrics)
        {
            Variant(metric.Variant ?? "");
        }

        var byVariant = metrics.ToLookup(m => m.Variant ?? "");
        var rawSince = DateTimeOffset.UnixEpoch.AddDays((await UsageKept.ReadAsync(db, cancellationToken)).RawSinceDay);
        return new ExperimentUsage(experimentId, from, to, rawSince, [.. variants.Values.Select(v => v.ToUsage(
            byVariant[v.Name].ToDictionary(m => m.Metric, m => new FeedbackTotals(m.Count, m.Sum, m.Squares), StringComparer.Ordinal)))]);
    }
}
