using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Usage;
using Modelgate.Core.Validation;
using Modelgate.Storage.Entities;
using Modelgate.Storage.Usage;

namespace Modelgate.Storage.Experiments;

/// <summary>
/// Stores feedback on calls: finds the call's usage record (by request id, or the latest of a session), copies its
/// experiment, variant and key, and keeps one value per call and metric (a repeated signal replaces the first, so a
/// retried request never counts twice). Usage records are written in batches a moment after the call, so a request id
/// made in the last <see cref="RecentCall"/> that is not stored yet is waited for, up to about 3 seconds, before it is
/// refused as unknown.
/// </summary>
public sealed class FeedbackStore(IDbContextFactory<ModelgateDbContext> contexts, UsageOptions options, TimeProvider time)
{
    public const int MaxMetricLength = 64;

    /// <summary>A request id this recent (by its own timestamp) may still be on its way to the database.</summary>
    public static readonly TimeSpan RecentCall = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private const int MaxPolls = 12;

    /// <param name="input">The feedback.</param>
    /// <param name="callerKey">The virtual key sending it, which may only give feedback on its own calls; null for the administrator.</param>
    /// <param name="cancellationToken">Cancels the wait and the write.</param>
    public async Task<CatalogResult<FeedbackView>> AddAsync(FeedbackInput input, Guid? callerKey, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var session = ModelgateSession.Clean(input.SessionId);
        if ((input.RequestId is null) == (input.SessionId is null))
        {
            errors.Add("request_id", "send exactly one of request_id (the x-modelgate-request-id of the call) and session_id (for the session's latest call)");
        }
        else if (input.SessionId is not null && session is null)
        {
            errors.Add("session_id", "session_id must not be empty");
        }

        if (ExperimentValidator.CheckName("metric", input.Metric, MaxMetricLength) is { } metricError)
        {
            errors.Add("metric", metricError);
        }

        if (!double.IsFinite(input.Value))
        {
            errors.Add("value", "value must be a finite number, or true or false");
        }

        if (!errors.IsEmpty)
        {
            return CatalogError.Invalid(errors);
        }

        await using var db = contexts.CreateDbContext();
        var call = input.RequestId is { } requestId
            ? await ByRequestAsync(db, requestId, callerKey, cancellationToken)
            : await BySessionAsync(db, SessionHash.Of(session!), callerKey, cancellationToken);
        if (call is null)
        {
            var key = callerKey is null ? "" : " with this key";
            return CatalogError.NotFound(input.RequestId is { } id
                ? $"no call with request id '{id}'; feedback names the x-modelgate-request-id of a call made{key} in the last {options.RetentionDays} days"
                : $"no call with that session id made{key} in the last {options.RetentionDays} days; feedback on a session goes to its latest recorded call");
        }

        return await SaveAsync(db, call, input.Metric!, input.Value, cancellationToken);
    }

    private async Task<FeedbackView> SaveAsync(ModelgateDbContext db, Call call, string metric, double value, CancellationToken cancellationToken)
    {
        var requestId = new Guid(call.RequestId);
        var now = time.UtcNow();
        var row = await db.Feedback.SingleOrDefaultAsync(f => f.RequestId == requestId && f.Metric == metric, cancellationToken);
        var replaced = row is not null;
        if (row is null)
        {
            row = new FeedbackEntity { Id = Guid.CreateVersion7(), RequestId = requestId, Metric = metric };
            db.Feedback.Add(row);
        }

        Fill(row, call, value, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (!replaced)
        {
            // The same call and metric stored by another request a moment ago: this value takes its place.
            db.ChangeTracker.Clear();
            row = await db.Feedback.SingleAsync(f => f.RequestId == requestId && f.Metric == metric, cancellationToken);
            Fill(row, call, value, now);
            await db.SaveChangesAsync(cancellationToken);
            replaced = true;
        }

        return new FeedbackView(row.Id, requestId, row.ExperimentId, row.Variant, row.Metric, row.Value, row.CreatedAt, replaced);
    }

    private static void Fill(FeedbackEntity row, Call call, double value, DateTime now)
    {
        row.Value = value;
        row.CreatedAt = now;
        row.SessionHash = call.SessionHash;
        row.ExperimentId = call.ExperimentId == Guid.Empty ? null : call.ExperimentId;
        row.Variant = call.Variant.Length == 0 ? null : call.Variant;
        row.KeyId = call.KeyId == Guid.Empty ? null : call.KeyId;
    }

    private async Task<Call?> ByRequestAsync(ModelgateDbContext db, Guid requestId, Guid? callerKey, CancellationToken cancellationToken)
    {
        var bytes = requestId.ToByteArray();
        for (var attempt = 0; ; attempt++)
        {
            var call = await Calls(db.UsageRecords.Where(r => r.RequestId == bytes), db).FirstOrDefaultAsync(cancellationToken);
            if (call is not null)
            {
                // Another key's call is as unknown to this key as a call never made: the answer tells it nothing.
                return callerKey is { } key && call.KeyId != key ? null : call;
            }

            if (attempt >= MaxPolls || !Recent(requestId))
            {
                return null;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    private static Task<Call?> BySessionAsync(ModelgateDbContext db, long sessionHash, Guid? callerKey, CancellationToken cancellationToken)
    {
        var calls = Calls(db.UsageRecords.Where(r => r.SessionHash == sessionHash), db);
        if (callerKey is { } key)
        {
            calls = calls.Where(c => c.KeyId == key);
        }

        return calls.OrderByDescending(c => c.AtMs).FirstOrDefaultAsync(cancellationToken);
    }

    private static IQueryable<Call> Calls(IQueryable<UsageRecordEntity> records, ModelgateDbContext db) =>
        from r in records.AsNoTracking()
        join s in db.UsageSeries.AsNoTracking() on r.SeriesId equals s.Id
        select new Call { RequestId = r.RequestId, AtMs = r.AtMs, SessionHash = r.SessionHash, ExperimentId = s.ExperimentId, Variant = s.Variant, KeyId = s.KeyId };

    // By the id's own timestamp (UUID version 7), either side of now: the calling instance's clock may run a little ahead.
    private bool Recent(Guid requestId) =>
        RequestIds.TimeOf(requestId) is { } at && (time.GetUtcNow() - at).Duration() < RecentCall;

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private sealed class Call
    {
        public required byte[] RequestId { get; init; }
        public long AtMs { get; init; }
        public long? SessionHash { get; init; }
        public Guid ExperimentId { get; init; }
        public required string Variant { get; init; }
        public Guid KeyId { get; init; }
    }
}
