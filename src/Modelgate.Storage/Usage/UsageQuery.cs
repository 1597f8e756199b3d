using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Answers usage questions from the rollups the usage writer keeps: whole days from <c>usage_daily</c>, whole hours of
/// the days a range cuts from <c>usage_hourly</c>, and only the partial hours at its ends from raw rows
/// (<see cref="UsageRangePlan"/>) — unless no call of that hour lies outside the range, when its rollup says the same.
/// Rows are folded into totals as they stream from the database, so memory grows with the number of groups, not with
/// the range or the calls in it.
/// </summary>
public sealed class UsageQuery(IDbContextFactory<ModelgateDbContext> contexts)
{
    private static readonly long HourMs = RollupGrain.Hour.Milliseconds;
    private static readonly long DayMs = RollupGrain.Day.Milliseconds;

    // Every series as last read, with the count and highest id it was read at.
    private SeriesRows? _series;

    /// <summary>Refused (with a reason) when hourly grouping reaches days whose hourly rollups are no longer kept.</summary>
    public Task<(IReadOnlyList<UsageGroup>? Groups, string? Error)> RunAsync(UsageRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, rawOnly: false, cancellationToken);

    /// <summary>
    /// The same answer summed from raw rows alone, the slow way the rollups replace: what tests compare the rollups
    /// with (raw rows past their retention are gone, so only ranges inside it agree).
    /// </summary>
    internal Task<(IReadOnlyList<UsageGroup>? Groups, string? Error)> RunFromRawAsync(UsageRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, rawOnly: true, cancellationToken);

    private async Task<(IReadOnlyList<UsageGroup>? Groups, string? Error)> RunAsync(UsageRequest request, bool rawOnly, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        // One snapshot for the marks and every read, so retention moving on meanwhile never takes rows from under it.
        await using var snapshot = await ReadSnapshotAsync(db, cancellationToken);
        var kept = await UsageKept.ReadAsync(db, cancellationToken);
        var (fromMs, toMs) = (request.From.ToUnixTimeMilliseconds(), request.To.ToUnixTimeMilliseconds());
        var byHour = request.GroupBy.Contains(UsageDimension.Hour);
        if (byHour && fromMs < kept.HoursSinceMs && !rawOnly)
        {
            return (null, $"hourly usage is kept from {DayText(kept.HoursSinceDay)} only; group by day for older ranges, or start the range later");
        }

        var teams = request.Team is not null || request.GroupBy.Contains(UsageDimension.Team)
            ? await db.VirtualKeys.AsNoTracking().Where(k => k.Team != null).ToDictionaryAsync(k => k.Id, k => k.Team!, cancellationToken)
            : [];
        var series = (await SeriesAsync(db, cancellationToken)).Values.Where(s => Matches(s, request, teams)).ToDictionary(s => s.Id);
        if (series.Count == 0)
        {
            return ([], null);
        }

        var groups = new Groups(request.GroupBy, teams);
        var filtered = request.ModelId is not null || request.ModelIds is not null || request.ProviderId is not null || request.KeyId is not null
            || request.Purpose is not null || request.Team is not null;
        var level = RollupLevel.For(request);
        // Raw rows belong to full series only; a model's or a key's rollups to its projection (an empty source).
        var ids = filtered ? series.Values.Where(s => s.Source.Length > 0 == (level == RollupLevel.Series)).Select(s => s.Id).ToList() : null;
        var rawIds = filtered ? series.Values.Where(s => s.Source.Length > 0).Select(s => s.Id).ToList() : null;
        IReadOnlyList<UsageSegment> plan = rawOnly
            ? [new UsageSegment(UsageGrain.Raw, fromMs, toMs)]
            : UsageRangePlan.Plan(fromMs, toMs, kept.RawSinceMs, kept.HoursSinceMs, byHour);
        if (!rawOnly && kept.RollupsBuilt)
        {
            plan = await WholeHoursAsync(db, plan, kept.HoursSinceMs, cancellationToken);
        }

        foreach (var segment in plan)
        {
            // A filter no series of the segment's kind matches: nothing to read (and no empty IN list to send).
            if ((segment.Source == UsageGrain.Raw ? rawIds : ids) is { Count: 0 })
            {
                continue;
            }

            switch (segment.Source)
            {
                case UsageGrain.Days or UsageGrain.Hours:
                    var grain = segment.Source == UsageGrain.Days ? RollupGrain.Day : RollupGrain.Hour;
                    await UsageRollups.ReadAsync(db, grain, level, segment.From, segment.To, ids, r =>
                    {
                        if (series.TryGetValue(r.Key.SeriesId, out var s))
                        {
                            groups.Of(s, r.Key.Status, r.Key.Unit * grain.Milliseconds).Add(r);
                        }
                    }, cancellationToken);
                    break;
                default:
                    await UsageRows.ReadAsync(db, segment.From, segment.To, rawIds, r =>
                    {
                        if (series.TryGetValue(r.SeriesId, out var s))
                        {
                            groups.Of(s, r.Status, r.AtMs).Add(r);
                        }
                    }, cancellationToken);
                    break;
            }
        }

        return (groups.All, null);
    }

    /// <summary>
    /// The raw parts of a plan, hour by hour, read from the hour's rollup instead where no call of that hour lies
    /// outside the part: then the rollup sums exactly the same calls. The common case is a range ending now, whose
    /// last hour has no calls after its end yet; the probe and the reads share one snapshot, so a call written
    /// meanwhile changes neither.
    /// </summary>
    private static async Task<IReadOnlyList<UsageSegment>> WholeHoursAsync(
        ModelgateDbContext db, IReadOnlyList<UsageSegment> plan, long hoursSinceMs, CancellationToken cancellationToken)
    {
        var segments = new List<UsageSegment>(plan.Count);
        foreach (var segment in plan)
        {
            if (segment.Source != UsageGrain.Raw)
            {
                segments.Add(segment);
                continue;
            }

            for (var a = segment.From; a < segment.To;)
            {
                var hour = RollupGrain.Hour.UnitOf(a);
                var (start, end) = (hour * HourMs, (hour + 1) * HourMs);
                var b = Math.Min(segment.To, end);
                var whole = start >= hoursSinceMs
                    && !(start < a && await UsageRows.AnyAsync(db, start, a, cancellationToken))
                    && !(b < end && await UsageRows.AnyAsync(db, b, end, cancellationToken));
                segments.Add(whole ? new UsageSegment(UsageGrain.Hours, hour, hour + 1) : new UsageSegment(UsageGrain.Raw, a, b));
                a = b;
            }
        }

        return UsageRangePlan.Coalesce(segments);
    }

    /// <summary>
    /// Every usage series, by id. Series are only ever added, never changed or removed, so the rows read last time are
    /// still right while the table's count and highest id (read in the query's snapshot) are the same.
    /// </summary>
    private async Task<IReadOnlyDictionary<int, UsageSeriesEntity>> SeriesAsync(ModelgateDbContext db, CancellationToken cancellationToken)
    {
        await using var command = await UsageReads.CommandAsync(db, cancellationToken);
        command.CommandText = "SELECT count(*), CAST(coalesce(max(id), 0) AS bigint) FROM usage_series";
        (long Count, long MaxId) stamp;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            stamp = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (Volatile.Read(ref _series) is { } known && known.Stamp == stamp)
        {
            return known.Rows;
        }

        var rows = await db.UsageSeries.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        // Kept unless another request has meanwhile read a later set (more rows): an older snapshot never replaces it.
        var read = new SeriesRows(stamp, rows);
        var current = Volatile.Read(ref _series);
        while (current is null || current.Stamp.Count < stamp.Count)
        {
            var seen = Interlocked.CompareExchange(ref _series, read, current);
            if (ReferenceEquals(seen, current))
            {
                break;
            }

            current = seen;
        }

        return rows;
    }

    private sealed record SeriesRows((long Count, long MaxId) Stamp, IReadOnlyDictionary<int, UsageSeriesEntity> Rows);

    // PostgreSQL: a repeatable-read transaction; SQLite: a deferred one (a read snapshot in WAL mode, never the write lock).
    private static async Task<IAsyncDisposable> ReadSnapshotAsync(ModelgateDbContext db, CancellationToken cancellationToken)
    {
        if (db.Kind == DatabaseKind.Postgres)
        {
            return await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var transaction = ((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        return transaction;
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

    private static bool Matches(UsageSeriesEntity s, UsageRequest r, Dictionary<Guid, string> teams) =>
        (r.ModelId is null || s.ModelId == r.ModelId) && (r.ModelIds is null || r.ModelIds.Contains(s.ModelId)) && (r.ProviderId is null || s.ProviderId == r.ProviderId)
        && (r.KeyId is null || s.KeyId == r.KeyId) && (r.Purpose is null || s.Purpose == r.Purpose)
        && (r.Team is null || (teams.TryGetValue(s.KeyId, out var team) && string.Equals(team, r.Team, StringComparison.Ordinal)));

    private static string DayText(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The answer's groups, found by what the question groups by.</summary>
    private sealed class Groups(IReadOnlyList<UsageDimension> by, Dictionary<Guid, string> teams)
    {
        private readonly Dictionary<string, UsageGroup> _groups = new(StringComparer.Ordinal);
        private readonly bool _byStatus = by.Contains(UsageDimension.Status);
        private readonly long _bucketMs = by.Contains(UsageDimension.Hour) ? HourMs : by.Contains(UsageDimension.Day) ? DayMs : long.MaxValue;

        // A row's group depends only on its series, status and hour or day: found once per triple, not built per row.
        private readonly Dictionary<(int Series, int Status, long Bucket), UsageTotals> _known = [];

        public IReadOnlyList<UsageGroup> All => [.. _groups.Values];

        public UsageTotals Of(UsageSeriesEntity s, int status, long atMs)
        {
            var key = (s.Id, _byStatus ? status : 0, Math.DivRem(atMs, _bucketMs).Quotient);
            if (!_known.TryGetValue(key, out var totals))
            {
                _known[key] = totals = GroupOf(s, status, atMs).Totals;
            }

            return totals;
        }

        private UsageGroup GroupOf(UsageSeriesEntity s, int status, long atMs)
        {
            var key = string.Join('\u001f', by.Select(d => Value(d, s, status, atMs)));
            if (!_groups.TryGetValue(key, out var group))
            {
                var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var dimension in by)
                {
                    foreach (var (name, value) in Fields(dimension, s, status, atMs))
                    {
                        keys[name] = value;
                    }
                }

                group = new UsageGroup(keys, new UsageTotals());
                _groups[key] = group;
            }

            return group;
        }

        // What makes a group distinct: ids, not names (a renamed model is still the same model).
        private string Value(UsageDimension dimension, UsageSeriesEntity s, int status, long atMs) => dimension switch
        {
            UsageDimension.Model => s.ModelId == Guid.Empty ? s.ModelName : s.ModelId.ToString(),
            UsageDimension.Provider => s.ProviderId == Guid.Empty ? s.ProviderName : s.ProviderId.ToString(),
            UsageDimension.Purpose => s.Purpose,
            UsageDimension.Key => s.KeyId.ToString(),
            UsageDimension.Team => teams.GetValueOrDefault(s.KeyId) ?? "",
            UsageDimension.Variant => s.Variant,
            UsageDimension.Operation => s.Operation,
            UsageDimension.Source => s.Source,
            UsageDimension.Status => status.ToString(CultureInfo.InvariantCulture),
            UsageDimension.Day => (atMs / DayMs).ToString(CultureInfo.InvariantCulture),
            _ => (atMs / HourMs).ToString(CultureInfo.InvariantCulture),
        };

        private IEnumerable<(string Name, string? Value)> Fields(UsageDimension dimension, UsageSeriesEntity s, int status, long atMs) => dimension switch
        {
            UsageDimension.Model => [("model_id", Id(s.ModelId)), ("model", s.ModelName), ("provider", s.ProviderName)],
            UsageDimension.Provider => [("provider_id", Id(s.ProviderId)), ("provider", s.ProviderName)],
            UsageDimension.Purpose => [("purpose", Text(s.Purpose))],
            UsageDimension.Key => [("key_id", Id(s.KeyId))],
            UsageDimension.Team => [("team", teams.GetValueOrDefault(s.KeyId))],
            UsageDimension.Variant => [("variant", Text(s.Variant))],
            UsageDimension.Operation => [("operation", s.Operation)],
            UsageDimension.Source => [("source", s.Source)],
            // 0: a day rolled up before the status was kept.
            UsageDimension.Status => [("status", status == 0 ? null : status.ToString(CultureInfo.InvariantCulture))],
            UsageDimension.Day => [("day", DayText((int)(atMs / DayMs)))],
            _ => [("hour", DateTimeOffset.FromUnixTimeMilliseconds(atMs / HourMs * HourMs).ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture))],
        };

        private static string? Id(Guid id) => id == Guid.Empty ? null : id.ToString();

        private static string? Text(string text) => text.Length == 0 ? null : text;
    }
}
