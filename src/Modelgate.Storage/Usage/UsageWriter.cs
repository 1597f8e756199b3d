using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Writes usage records in the background. <see cref="Record"/> never waits: it puts the record in a bounded queue
/// (when the queue is full — the database far behind — the record is dropped and counted in
/// <c>modelgate.usage.dropped</c>). One loop, on a thread of its own so database work never holds up a thread-pool
/// thread the requests need, takes what is queued (waiting a moment for more, so a batch is a transaction rather
/// than a record) and writes up to a batch in one transaction. If the database cannot take it, the batch goes to a
/// spill file in the data folder and the loop carries on, so the queue keeps draining; the spill file is replayed
/// when the database is back (and at the next start). A graceful stop writes everything still queued — after the
/// web server has finished its requests — or spills it. Every queued record is also in this process's journal
/// (<see cref="UsageJournal"/>) from the moment <see cref="Record"/> returns, so a killed process loses none: the next
/// start replays what its journal held.
/// </summary>
public sealed partial class UsageWriter : IUsageRecorder, IHostedLifecycleService, IAsyncDisposable
{
    private readonly Channel<UsageRecord> _queue;
    private readonly IDbContextFactory<ModelgateDbContext> _contexts;
    private readonly UsageOptions _options;
    private readonly UsageMetrics _metrics;
    private readonly SpendLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageWriter> _logger;
    private readonly UsageSeriesCache _series = new();
    private readonly UsageSpill _spill;
    private readonly UsageJournal? _journal;
    private readonly Func<UsageRecord, bool> _enqueue;
    private readonly LogThrottle _journalWarnings = new();
    private readonly CancellationTokenSource _abort = new();
    private Task? _loop;
    private DateTimeOffset _nextReplay = DateTimeOffset.MinValue;
    private bool _failing;
    private readonly LogThrottle _dropWarnings = new();

    // Never more than the queue holds: a batch the queue cannot fill would wait out the linger every time.
    private readonly int _batchSize;

    public UsageWriter(IDbContextFactory<ModelgateDbContext> contexts, UsageOptions options, UsageMetrics metrics, SpendLedger ledger, TimeProvider time, ILogger<UsageWriter> logger)
    {
        _contexts = contexts;
        _options = options;
        _batchSize = Math.Max(1, Math.Min(options.BatchSize, options.QueueCapacity));
        _metrics = metrics;
        _ledger = ledger;
        _time = time;
        _logger = logger;
        _spill = new UsageSpill(options.SpillPath);
        _journal = options.Journal ? new UsageJournal(options.SpillPath) : null;
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _enqueue = _queue.Writer.TryWrite;
    }

    /// <summary>Records waiting to be written.</summary>
    public int Queued => _queue.Reader.Count;

    public void Record(UsageRecord record)
    {
        // Counted as pending before the writer can see it, so its write always finds it pending.
        _ledger.Recorded(record);
        if (Enqueue(record))
        {
            return;
        }

        _ledger.Forget(record);
        _metrics.OnDropped();
        if (_dropWarnings.Allow())
        {
            LogDropping(_logger, _options.QueueCapacity, _metrics.Dropped);
        }
    }

    // Queued and journaled together; a journal that cannot be written costs durability, never the record.
    private bool Enqueue(UsageRecord record)
    {
        if (_journal is null)
        {
            return _queue.Writer.TryWrite(record);
        }

        try
        {
            return _journal.Append(record, _enqueue);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_journalWarnings.Allow())
            {
                LogJournalFailed(_logger, e.GetType().Name, _journal.Directory);
            }

            return true;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is null && _journal is not null)
        {
            RecoverJournals(_journal);
        }

        _loop ??= Task.Factory.StartNew(() => Run(_abort.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service (the web server included) has stopped: no more records come; write what is queued.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken) => await FlushAndStopAsync(cancellationToken);

    /// <summary>
    /// Writes everything queued (or spills it when the database cannot take it in time, or the host's own stop
    /// timeout comes first), then stops the loop.
    /// </summary>
    public async Task FlushAndStopAsync(CancellationToken cancellationToken = default)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            // Never started: what was recorded stays in the journal (unlocked now) for the next start.
            _journal?.Dispose();
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ShutdownFlushTimeout);
        if (await Task.WhenAny(_loop, Task.Delay(Timeout.Infinite, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default)) != _loop)
        {
            // Out of time: what is left goes to the spill file for the next start.
            await _abort.CancelAsync();
        }

        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAndStopAsync();
        _abort.Dispose();
    }

    // What a killed process (this one's predecessor, or another sharing the data folder) left in its journal goes to
    // the spill file, which the loop replays first.
    private void RecoverJournals(UsageJournal journal)
    {
        try
        {
            if (journal.RecoverOthers(_spill) is > 0 and var recovered)
            {
                LogJournalRecovered(_logger, recovered);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogJournalUnreadable(_logger, e.GetType().Name, journal.Directory);
        }
    }

    private void Run(CancellationToken abort)
    {
        var batch = new List<UsageRecord>(_batchSize);
        Task<bool>? waiting = null;
        while (true)
        {
            ReplayIfDue(abort);
            waiting ??= _queue.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            // Wake at least every replay interval while a spill file waits.
            if (!waiting.Wait(_spill.HasRecords ? _options.ReplayInterval : Timeout.InfiniteTimeSpan))
            {
                continue;
            }

            var more = waiting.Result;
            waiting = null;
            if (more && _queue.Reader.Count < _batchSize && !abort.IsCancellationRequested && _options.Linger > TimeSpan.Zero
                && !_queue.Reader.Completion.IsCompleted)
            {
                // A moment for more records to come: one transaction for many calls costs far less than one each.
                Thread.Sleep(_options.Linger);
            }

            while (_queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                if (batch.Count == _batchSize)
                {
                    Handle(batch, abort);
                }
            }

            if (batch.Count > 0)
            {
                Handle(batch, abort);
            }

            if (!more)
            {
                ReplayIfDue(abort, force: true);
                _journal?.Finish();
                return;
            }
        }
    }

    // Written or spilled, the batch's records are safe and the journal lets go of them; if not, it keeps them.
    private void Handle(List<UsageRecord> batch, CancellationToken abort)
    {
        var safe = WriteOrSpill(batch, abort);
        _journal?.Handled(batch.Count, safe);
        batch.Clear();
    }

    // True when the batch is in the database or the spill file.
    private bool WriteOrSpill(List<UsageRecord> batch, CancellationToken abort)
    {
        if (_failing && _time.GetUtcNow() < _nextReplay)
        {
            // The database failed a moment ago: no batch waits on its timeouts until the next replay tries it again.
            return Spill(batch, null);
        }

        try
        {
            abort.ThrowIfCancellationRequested();
            Written(Write(batch));
            Recovered();
            return true;
        }
        catch (Exception e)
        {
            // Whatever the database said, the loop carries on and the records are kept: it must never die.
            return Spill(batch, e);
        }
    }

    private void Written(List<UsageRecord> inserted)
    {
        _ledger.Written(inserted);
        _metrics.OnWritten(inserted.Count);
    }

    private void Recovered()
    {
        if (_failing)
        {
            _failing = false;
            LogRecovered(_logger);
        }
    }

    private bool Spill(List<UsageRecord> batch, Exception? cause)
    {
        var spilled = false;
        try
        {
            _spill.Append(batch);
            spilled = true;
            _metrics.OnSpilled(batch.Count);
            if (!_failing && cause is not null)
            {
                _failing = true;
                LogSpilling(_logger, cause.GetType().Name, _options.SpillPath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var record in batch)
            {
                _ledger.Forget(record);
                _metrics.OnDropped();
            }

            LogSpillFailed(_logger, batch.Count, e.GetType().Name);
        }

        // Only a failed try puts the next one off: a batch spilled without trying (the database failed a moment ago)
        // must not, or steady traffic would keep the writer from ever trying the database again.
        if (cause is not null)
        {
            _nextReplay = _time.GetUtcNow() + _options.ReplayInterval;
        }

        return spilled;
    }

    private void ReplayIfDue(CancellationToken abort, bool force = false)
    {
        if (!_spill.HasRecords || abort.IsCancellationRequested || (!force && _time.GetUtcNow() < _nextReplay))
        {
            return;
        }

        _nextReplay = _time.GetUtcNow() + _options.ReplayInterval;
        try
        {
            var replayed = 0;
            foreach (var chunk in _spill.ReadForReplay().Chunk(_batchSize))
            {
                abort.ThrowIfCancellationRequested();
                List<UsageRecord> inserted;
                try
                {
                    inserted = Write(chunk);
                }
                catch (Exception e) when (IsRefusal(e))
                {
                    // The database refuses something in this batch (a constraint, a value out of range): one record at a
                    // time, the refused ones set aside, so one bad record never holds up the rest. Anything else
                    // (busy, timeout, down) leaves the file for the next try.
                    inserted = WriteOneByOne(chunk);
                }

                // Only rows new to the database count: a replay cut short and started again never counts one twice.
                Written(inserted);
                replayed += inserted.Count;
            }

            _spill.Replayed();
            Recovered();
            if (replayed > 0)
            {
                LogReplayed(_logger, replayed);
            }
        }
        catch (Exception)
        {
            // Still down (or the file unreadable for now): the aside file waits for the next try.
        }
    }

    // A refusal of the data itself, which trying again cannot mend (as opposed to a busy, locked or absent database).
    private static bool IsRefusal(Exception e) =>
        e switch
        {
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode is 18 or 19 or 20 or 25,
            Npgsql.PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal) || postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
            _ => e.InnerException is { } inner && IsRefusal(inner),
        };

    private List<UsageRecord> WriteOneByOne(UsageRecord[] records)
    {
        var inserted = new List<UsageRecord>();
        foreach (var record in records)
        {
            try
            {
                inserted.AddRange(Write([record]));
            }
            catch (Exception e) when (IsRefusal(e))
            {
                _spill.Reject(record);
                _metrics.OnDropped();
                LogRejected(_logger, record.RequestId, e.GetType().Name, _options.SpillPath + ".rejected");
            }
        }

        return inserted;
    }

    /// <summary>For tests: <see cref="Write"/> off the caller's thread.</summary>
    internal Task WriteAsync(IReadOnlyList<UsageRecord> batch, CancellationToken cancellationToken) => Task.Run(() => Write(batch), cancellationToken);

    // The writer waits on the database at most this long per command (SQLite: also for its lock), so a hung database
    // costs one batch a bounded wait before it is spilled, and a stop a bounded delay.
    private const int CommandTimeoutSeconds = 10;

    /// <summary>
    /// One transaction: the records (a request id already stored is skipped), their sums added to the hourly and daily
    /// rollups, and each key's spend per day added to <c>key_spend</c> — the last two for the records that were new
    /// only, so a replay never counts a call twice and no call is ever in the raw rows without its rollups. Returns the
    /// records that were new.
    /// </summary>
    private List<UsageRecord> Write(IReadOnlyList<UsageRecord> batch)
    {
        using var db = _contexts.CreateDbContext();
        db.Database.SetCommandTimeout(CommandTimeoutSeconds);
        var rows = new UsageRecordEntity[batch.Count];
        var projections = new (int Model, int Key)[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var series = UsageSeriesCache.KeyOf(batch[i]);
            rows[i] = ToRow(batch[i], _series.Id(db, series));
            projections[i] = (_series.Id(db, series.Model), _series.Id(db, series.Key));
        }

        db.Database.OpenConnection();
        var connection = db.Database.GetDbConnection();
        using var transaction = connection.BeginTransaction();
        var inserted = UsageRows.Insert(connection, transaction, rows, CommandTimeoutSeconds);
        var rollups = new UsageRollupBatch();
        var spend = new Dictionary<(Guid Key, int Day), decimal>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (inserted[i])
            {
                rollups.Add(RawUsage.Of(rows[i]), projections[i].Model, projections[i].Key);
            }

            if (inserted[i] && batch[i].KeyId is { } key && rows[i].CostPicos is > 0 and var picos)
            {
                var day = (key, SpendLedger.DayOf(batch[i].At));
                spend[day] = spend.GetValueOrDefault(day) + picos;
            }
        }

        // Hours, then days, then spend: every writer locks rows in the same order.
        UsageRollups.Add(connection, transaction, RollupGrain.Hour, rollups.Hours, CommandTimeoutSeconds);
        UsageRollups.Add(connection, transaction, RollupGrain.Day, rollups.Days, CommandTimeoutSeconds);
        foreach (var ((key, day), picos) in spend.OrderBy(s => s.Key))
        {
            UsageRows.AddSpend(connection, transaction, key, day, (long)Math.Min(picos, long.MaxValue), CommandTimeoutSeconds);
        }

        transaction.Commit();
        return [.. batch.Where((_, i) => inserted[i])];
    }

    internal static UsageRecordEntity ToRow(UsageRecord r, int series) => new()
    {
        RequestId = r.RequestId.ToByteArray(),
        AtMs = r.At.ToUnixTimeMilliseconds(),
        SeriesId = series,
        InputTokens = r.Tokens.Input,
        OutputTokens = r.Tokens.Output,
        CachedTokens = r.Tokens.CachedInput,
        CostPicos = r.Cost is { } cost ? Cost.ToPicos(cost) : null,
        LatencyMs = r.LatencyMs,
        TtftMs = r.TimeToFirstTokenMs,
        Status = r.Status,
        ErrorClass = r.ErrorClass is { Length: > 32 } error ? error[..32] : r.ErrorClass,
        Flags = (int)((r.Streamed ? UsageFlags.Streamed : 0) | (r.Tokens.Estimated ? UsageFlags.Estimated : 0)),
        ConfigVersion = r.ConfigVersion,
        SessionHash = r.SessionHash,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage queue is full ({Capacity} records): records are being dropped ({Dropped} so far). The database is not keeping up.")]
    private static partial void LogDropping(ILogger logger, int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage records cannot be written to the database ({Error}); they go to {SpillPath} and will be replayed.")]
    private static partial void LogSpilling(ILogger logger, string error, string spillPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage records are being written to the database again.")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} spilled usage records into the database.")]
    private static partial void LogReplayed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refuses usage record {RequestId} ({Error}); it is set aside in {RejectedPath}.")]
    private static partial void LogRejected(ILogger logger, Guid requestId, string error, string rejectedPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage journal in {Directory} cannot be written ({Error}): records are still written to the database, but a killed process would lose those not yet written.")]
    private static partial void LogJournalFailed(ILogger logger, string error, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage journals in {Directory} could not be recovered ({Error}); they are tried again at the next start.")]
    private static partial void LogJournalUnreadable(ILogger logger, string error, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Count} usage records from the journal of a process that did not stop cleanly; they are replayed into the database (records it already has are skipped).")]
    private static partial void LogJournalRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} usage records could neither be written nor spilled ({Error}); they are lost and counted as dropped.")]
    private static partial void LogSpillFailed(ILogger logger, int count, string error);
}
