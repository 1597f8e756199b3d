using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>What usage can be grouped by.</summary>
public enum UsageDimension
{
    Model,
    Provider,
    Purpose,
    Key,
    Variant,
    Operation,
    Source,
    Day,
    Hour,
}

/// <summary>A usage question: a time range [From, To), what to group by, and optional filters.</summary>
public sealed record UsageRequest(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageDimension> GroupBy)
{
    public Guid? ModelId { get; init; }

    /// <summary>Only these models (e.g. the ones a page shows), when set.</summary>
    public IReadOnlySet<Guid>? ModelIds { get; init; }
    public Guid? ProviderId { get; init; }
    public Guid? KeyId { get; init; }
    public string? Purpose { get; init; }
}

/// <summary>One group of the answer: the values of its dimensions (names and ids) and its totals.</summary>
public sealed record UsageGroup(IReadOnlyDictionary<string, string?> Keys, UsageTotals Totals);

/// <summary>
/// Answers usage questions from raw records (the last <see cref="UsageOptions.RetentionDays"/> days, to the
/// millisecond) and from daily rollups (older days, whole days). Rows are folded into totals as they stream from
/// the database, so memory grows with the number of groups, not of calls.
/// </summary>
public sealed class UsageQuery(IDbContextFactory<ModelgateDbContext> contexts)
{
    internal const string RawSinceSetting = "usage.raw_since_day";

    /// <summary>Refused (with a reason) when hourly grouping reaches days that are kept only as daily rollups.</summary>
    public async Task<(IReadOnlyList<UsageGroup>? Groups, string? Error)> RunAsync(UsageRequest request, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var rawSinceDay = await RawSinceDayAsync(db, cancellationToken);
        var fromDay = SpendLedger.DayOf(request.From);
        if (request.GroupBy.Contains(UsageDimension.Hour) && fromDay < rawSinceDay)
        {
            return (null, $"hourly usage is kept for the retention period only (from {DayText(rawSinceDay)}); group by day for older ranges, or start the range later");
        }

        var series = (await db.UsageSeries.AsNoTracking().ToListAsync(cancellationToken)).Where(s => Matches(s, request)).ToDictionary(s => s.Id);
        var groups = new Dictionary<string, UsageGroup>(StringComparer.Ordinal);

        // A row's group depends only on its series and its hour or day: found once per pair, not built per row.
        var bucketMs = request.GroupBy.Contains(UsageDimension.Hour) ? 3_600_000L : request.GroupBy.Contains(UsageDimension.Day) ? 86_400_000L : long.MaxValue;
        var known = new Dictionary<(int Series, long Bucket), UsageGroup>();
        UsageGroup Group(UsageSeriesEntity s, long atMs)
        {
            var key = (s.Id, atMs / bucketMs);
            if (!known.TryGetValue(key, out var group))
            {
                known[key] = group = GroupOf(groups, request.GroupBy, s, atMs);
            }

            return group;
        }

        if (series.Count == 0)
        {
            return ([], null);
        }

        var filtered = request.ModelId is not null || request.ModelIds is not null || request.ProviderId is not null || request.KeyId is not null || request.Purpose is not null;
        var ids = series.Keys.ToList();

        // Days before the raw records start: from the rollups, whole days.
        var toDay = SpendLedger.DayOf(request.To.AddTicks(-1));
        if (fromDay < rawSinceDay)
        {
            var lastRollupDay = Math.Min(toDay, rawSinceDay - 1);
            var rollups = db.UsageRollups.AsNoTracking().Where(r => r.Day >= fromDay && r.Day <= lastRollupDay);
            if (filtered)
            {
                rollups = rollups.Where(r => ids.Contains(r.SeriesId));
            }

            await foreach (var r in rollups.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (series.TryGetValue(r.SeriesId, out var s))
                {
                    Group(s, r.Day * 86_400_000L).Totals.Add(r);
                }
            }
        }

        var fromMs = Math.Max(request.From.ToUnixTimeMilliseconds(), rawSinceDay * 86_400_000L);
        var toMs = request.To.ToUnixTimeMilliseconds();
        await UsageRows.ReadAsync(db, fromMs, toMs, filtered ? ids : null, r =>
        {
            if (series.TryGetValue(r.SeriesId, out var s))
            {
                Group(s, r.AtMs).Totals.Add(r);
            }
        }, cancellationToken);

        return ([.. groups.Values], null);
    }

    /// <summary>The model's scorecard over the last <paramref name="hours"/> hours up to <paramref name="now"/>.</summary>
    public async Task<ModelScorecard> ScorecardAsync(Guid modelId, DateTimeOffset now, int hours, CancellationToken cancellationToken)
    {
        var (groups, _) = await RunAsync(new UsageRequest(now.AddHours(-hours), now, []) { ModelId = modelId }, cancellationToken);
        return ModelScorecard.From(hours, groups?.FirstOrDefault()?.Totals);
    }

    /// <summary>These models' scorecards over the same window, from one grouped query (models without calls are absent).</summary>
    public async Task<IReadOnlyDictionary<Guid, ModelScorecard>> ScorecardsAsync(IReadOnlySet<Guid> modelIds, DateTimeOffset now, int hours, CancellationToken cancellationToken)
    {
        var (groups, _) = await RunAsync(new UsageRequest(now.AddHours(-hours), now, [UsageDimension.Model]) { ModelIds = modelIds }, cancellationToken);
        var scorecards = new Dictionary<Guid, ModelScorecard>();
        foreach (var group in groups ?? [])
        {
            if (Guid.TryParse(group.Keys["model_id"], out var id))
            {
                scorecards[id] = ModelScorecard.From(hours, group.Totals);
            }
        }

        return scorecards;
    }

    internal static async Task<int> RawSinceDayAsync(ModelgateDbContext db, CancellationToken cancellationToken) =>
        await db.Settings.AsNoTracking().Where(s => s.Key == RawSinceSetting).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken) is { } text
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var day) ? day : 0;

    private static bool Matches(UsageSeriesEntity s, UsageRequest r) =>
        (r.ModelId is null || s.ModelId == r.ModelId) && (r.ModelIds is null || r.ModelIds.Contains(s.ModelId)) && (r.ProviderId is null || s.ProviderId == r.ProviderId)
        && (r.KeyId is null || s.KeyId == r.KeyId) && (r.Purpose is null || s.Purpose == r.Purpose);

    private static UsageGroup GroupOf(Dictionary<string, UsageGroup> groups, IReadOnlyList<UsageDimension> by, UsageSeriesEntity s, long atMs)
    {
        var key = string.Join('\u001f', by.Select(d => Value(d, s, atMs)));
        if (!groups.TryGetValue(key, out var group))
        {
            var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var dimension in by)
            {
                foreach (var (name, value) in Fields(dimension, s, atMs))
                {
                    keys[name] = value;
                }
            }

            group = new UsageGroup(keys, new UsageTotals());
            groups[key] = group;
        }

        return group;
    }

    // What makes a group distinct: ids, not names (a renamed model is still the same model).
    private static string Value(UsageDimension dimension, UsageSeriesEntity s, long atMs) => dimension switch
    {
        UsageDimension.Model => s.ModelId == Guid.Empty ? s.ModelName : s.ModelId.ToString(),
        UsageDimension.Provider => s.ProviderId == Guid.Empty ? s.ProviderName : s.ProviderId.ToString(),
        UsageDimension.Purpose => s.Purpose,
        UsageDimension.Key => s.KeyId.ToString(),
        UsageDimension.Variant => s.Variant,
        UsageDimension.Operation => s.Operation,
        UsageDimension.Source => s.Source,
        UsageDimension.Day => (atMs / 86_400_000).ToString(CultureInfo.InvariantCulture),
        _ => (atMs / 3_600_000).ToString(CultureInfo.InvariantCulture),
    };

    private static IEnumerable<(string Name, string? Value)> Fields(UsageDimension dimension, UsageSeriesEntity s, long atMs) => dimension switch
    {
        UsageDimension.Model => [("model_id", Id(s.ModelId)), ("model", s.ModelName), ("provider", s.ProviderName)],
        UsageDimension.Provider => [("provider_id", Id(s.ProviderId)), ("provider", s.ProviderName)],
        UsageDimension.Purpose => [("purpose", Text(s.Purpose))],
        UsageDimension.Key => [("key_id", Id(s.KeyId))],
        UsageDimension.Variant => [("variant", Text(s.Variant))],
        UsageDimension.Operation => [("operation", s.Operation)],
        UsageDimension.Source => [("source", s.Source)],
        UsageDimension.Day => [("day", DayText((int)(atMs / 86_400_000)))],
        _ => [("hour", DateTimeOffset.FromUnixTimeMilliseconds(atMs / 3_600_000 * 3_600_000).ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture))],
    };

    private static string DayText(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Id(Guid id) => id == Guid.Empty ? null : id.ToString();

    private static string? Text(string text) => text.Length == 0 ? null : text;
}

/// <summary>A model's recent record at a glance: calls, success rate, latency and cost over the last hours.</summary>
public sealed record ModelScorecard(int WindowHours, long Requests, long Errors, double? SuccessRate, double? LatencyP50Ms, double? LatencyP95Ms, decimal CostUsd, long UnpricedRequests)
{
    public static ModelScorecard From(int windowHours, UsageTotals? totals) => totals is null || totals.Requests == 0
        ? new ModelScorecard(windowHours, 0, 0, null, null, null, 0m, 0)
        : new ModelScorecard(windowHours, totals.Requests, totals.Errors, Math.Round(1 - (double)totals.Errors / totals.Requests, 4),
            totals.Latency.Percentile(0.5), totals.Latency.Percentile(0.95), totals.CostUsd, totals.Unpriced);
}
