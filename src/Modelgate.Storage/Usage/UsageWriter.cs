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
/// <c>modelgate.usage.dropped</c>). One loop takes what is queued, up to a batch, and writes it in one transaction;
/// if the database cannot take it, the batch goes to a spill file in the data folder and the loop carries on, so the
/// queue keeps draining; the spill file is replayed when the database is back (and at the next start). A graceful
/// stop writes everything still queued — after the web server has finished its requests — or spills it.
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
    private readonly CancellationTokenSource _abort = new();
    private Task? _loop;
    private DateTimeOffset _nextReplay = DateTimeOffset.MinValue;
    private bool _failing;
    private long _lastDropWarning;

    public UsageWriter(IDbContextFactory<ModelgateDbContext> contexts, UsageOptions options, UsageMetrics metrics, SpendLedger ledger, TimeProvider time, ILogger<UsageWriter> logger)
    {
        _contexts = contexts;
        _options = options;
        _metrics = metrics;
        _ledger = ledger;
        _time = time;
        _logger = logger;
        _spill = new UsageSpill(options.SpillPath);
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Records waiting to be written.</summary>
    public int Queued => _queue.Reader.Count;

    public void Record(UsageRecord record)
    {
        // Counted as pending before the writer can see it, so its write always finds it pending.
        _ledger.Recorded(record);
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        _ledger.Forget(record);
        _metrics.OnDropped();
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropWarning);
        if (now - last > 60_000 && Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
        {
            LogDropping(_logger, _options.QueueCapacity, _metrics.Dropped);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service (the web server included) has stopped: no more records come; write what is queued.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken) => await FlushAndStopAsync();

    /// <summary>Writes everything queued (or spills it when the database cannot take it in time), then stops the loop.</summary>
    public async Task FlushAndStopAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            return;
        }

        if (await Task.WhenAny(_loop, Task.Delay(_options.ShutdownFlushTimeout)) != _loop)
        {
            await _abort.CancelAsync();
        }

        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAndStopAsync();
        _abort.Dispose();
    }

    private async Task RunAsync(CancellationToken abort)
    {
        var batch = new List<UsageRecord>(_options.BatchSize);
        while (true)
        {
            await ReplayIfDueAsync(abort);
            bool more;
            try
            {
                // Wake at least every replay interval while a spill file waits.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(abort);
                if (_spill.HasRecords)
                {
                    wait.CancelAfter(_options.ReplayInterval);
                }

                more = await _queue.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!abort.IsCancellationRequested)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                more = false;
            }

            while (_queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                if (batch.Count == _options.BatchSize)
                {
                    await WriteOrSpillAsync(batch, abort);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await WriteOrSpillAsync(batch, abort);
                batch.Clear();
            }

            if (!more)
            {
                await ReplayIfDueAsync(abort, force: true);
                return;
            }
        }
    }

    private async Task WriteOrSpillAsync(List<UsageRecord> batch, CancellationToken abort)
    {
        try
        {
            if (abort.IsCancellationRequested)
            {
                throw new OperationCanceledException(abort);
            }

            await WriteAsync(batch, abort);
            _ledger.Written(batch);
            _metrics.OnWritten(batch.Count);
            if (_failing)
            {
                _failing = false;
                LogRecovered(_logger);
            }
        }
        catch (Exception e)
        {
            // Whatever the database said, the loop carries on and the records are kept: it must never die.
            await SpillAsync(batch, e);
        }
    }

    private async Task SpillAsync(List<UsageRecord> batch, Exception cause)
    {
        try
        {
            await _spill.AppendAsync(batch);
            _metrics.OnSpilled(batch.Count);
            if (!_failing)
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

        _nextReplay = _time.GetUtcNow() + _options.ReplayInterval;
    }

    private async Task ReplayIfDueAsync(CancellationToken abort, bool force = false)
    {
        if (!_spill.HasRecords || abort.IsCancellationRequested || (!force && _time.GetUtcNow() < _nextReplay))
        {
            return;
        }

        _nextReplay = _time.GetUtcNow() + _options.ReplayInterval;
        try
        {
            var replayed = 0;
            foreach (var chunk in _spill.ReadForReplay().Chunk(_options.BatchSize))
            {
                try
                {
                    await WriteAsync(chunk, abort, replay: true);
                }
                catch (Exception) when (!abort.IsCancellationRequested)
                {
                    if (!await ReachableAsync(abort))
                    {
                        throw;
                    }

                    // The database is up but refuses this batch: one record at a time, the refused ones set aside, so
                    // one bad record never holds up the rest.
                    await WriteOneByOneAsync(chunk, abort);
                }

                _ledger.Written(chunk);
                _metrics.OnWritten(chunk.Length);
                replayed += chunk.Length;
            }

            _spill.Replayed();
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

    private async Task<bool> ReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = _contexts.CreateDbContext();
            return await db.Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception)
        {
            return false;
        }
    }

    private async Task WriteOneByOneAsync(UsageRecord[] records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            try
            {
                await WriteAsync([record], cancellationToken, replay: true);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                await _spill.RejectAsync(record);
                _metrics.OnDropped();
                LogRejected(_logger, record.RequestId, e.GetType().Name, _options.SpillPath + ".rejected");
            }
        }
    }

    /// <summary>One transaction: the records, and each key's spend per day added to <c>key_spend</c>.</summary>
    internal async Task WriteAsync(IReadOnlyList<UsageRecord> batch, CancellationToken cancellationToken, bool replay = false)
    {
        await using var db = _contexts.CreateDbContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var rows = new List<(UsageRecord Record, UsageRecordEntity Row)>(batch.Count);
        foreach (var record in batch)
        {
            var series = await _series.IdAsync(db, UsageSeriesCache.KeyOf(record), cancellationToken);
            rows.Add((record, ToRow(record, series)));
        }

        if (replay)
        {
            // A spill file replayed after a crash may hold records the database already has.
            var ids = rows.Select(r => r.Row.RequestId).ToList();
            var present = (await db.UsageRecords.AsNoTracking().Where(r => ids.Contains(r.RequestId)).Select(r => r.RequestId).ToListAsync(cancellationToken))
                .Select(Convert.ToHexString).ToHashSet();
            rows.RemoveAll(r => present.Contains(Convert.ToHexString(r.Row.RequestId)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.UsageRecords.AddRange(rows.Select(r => r.Row));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var spend in rows.Where(r => r.Record.KeyId is not null && r.Row.CostPicos > 0)
                     .GroupBy(r => (Key: r.Record.KeyId!.Value, Day: SpendLedger.DayOf(r.Record.At)), r => r.Row.CostPicos!.Value))
        {
            var (key, day, picos) = (spend.Key.Key, spend.Key.Day, (long)Math.Min(spend.Sum(p => (decimal)p), long.MaxValue));
            await db.Database.ExecuteSqlAsync(
                // Saturates instead of overflowing (the same SQL on both engines).
                $"INSERT INTO key_spend (key_id, day, cost_picos) VALUES ({key}, {day}, {picos}) ON CONFLICT (key_id, day) DO UPDATE SET cost_picos = CASE WHEN key_spend.cost_picos > 9223372036854775807 - excluded.cost_picos THEN 9223372036854775807 ELSE key_spend.cost_picos + excluded.cost_picos END",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} usage records could neither be written nor spilled ({Error}); they are lost and counted as dropped.")]
    private static partial void LogSpillFailed(ILogger logger, int count, string error);
}
