using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.Limits;

/// <summary>
/// A fleet's limit counters: the shared ones (Redis) while they answer, and the deployment's
/// <see cref="SharedCountersPolicy"/> while they do not — each instance counting its share in process, admitting
/// uncounted, or refusing. Losing and regaining them is logged once each, at Warning; every decision taken without
/// them is counted (<c>modelgate.limits.unshared_decisions</c>); while they are out of reach they are asked again only
/// every <see cref="RetryInterval"/>, so a Redis that hangs does not hold every call. Settlements of places in flight
/// and budgets that could not reach them are kept (a bounded number) and sent when they answer again — and so is the
/// undoing of a take that failed, which may have run on Redis before its answer was lost; sent twice, they count once.
/// A budget's shared counter is raised to the database's figure after an outage, as it missed the spend of the meantime.
/// </summary>
public sealed partial class FleetLimitCounters : ILimitCounters, IDisposable
{
    private const int MaxPending = 100_000;

    /// <summary>How long the shared counters are left alone after they failed to answer.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    private long _retryAt;
    private readonly ILimitCounters _shared;
    private readonly InProcessLimitCounters _local;
    private readonly ILogger _logger;
    private readonly Counter<long> _unshared;
    private readonly ConcurrentQueue<(IReadOnlyList<LimitSettlement> Settlements, long Segment, string Lease)> _pending = new();
    private readonly ConcurrentDictionary<string, int> _seeded = new();
    private int _reachable = 1;
    private int _epoch;
    private int _draining;

    public FleetLimitCounters(ILimitCounters shared, InProcessLimitCounters local, SharedCountersPolicy policy, ILogger<FleetLimitCounters> logger, IMeterFactory? meters = null)
    {
        _shared = shared;
        _local = local;
        Policy = policy;
        _logger = logger;
        var meter = meters?.Create(Limiter.MeterName) ?? new Meter(Limiter.MeterName);
        _unshared = meter.CreateCounter<long>("modelgate.limits.unshared_decisions", description: "Limit decisions taken without the shared counters (out of reach).");
    }

    public SharedCountersPolicy Policy { get; }

    /// <summary>Whether the shared counters answered the last time they were asked.</summary>
    public bool IsReachable => Volatile.Read(ref _reachable) == 1;

    /// <summary>Disposes the shared counters when they are disposable (a connection this instance owns).</summary>
    public void Dispose() => (_shared as IDisposable)?.Dispose();

    public async ValueTask<LimitVerdict> TakeAsync(IReadOnlyList<LimitTake> takes, string lease, CancellationToken cancellationToken)
    {
        if (IsReachable || Environment.TickCount64 >= Volatile.Read(ref _retryAt))
        {
            try
            {
                var verdict = await _shared.TakeAsync(Reseeded(takes), lease, cancellationToken);
                Reached();
                return verdict with { Store = this };
            }
            catch (LimitCountersUnavailableException e)
            {
                Lost(e);
                // The script may have run before its answer was lost: what it would hold beyond a minute is undone later.
                Keep(takes.Where(t => t.Bucket.Kind is LimitKinds.ConcurrentRequests or LimitKinds.Budget).Select(t => new LimitSettlement(t.Bucket, t.Amount, 0)).ToList(), 0, lease);
                if (Policy == SharedCountersPolicy.Reject)
                {
                    _unshared.Add(1, new KeyValuePair<string, object?>("policy", "reject"));
                    throw;
                }
            }
        }

        _unshared.Add(1, new KeyValuePair<string, object?>("policy", Policy.ToString().ToLowerInvariant()));
        return Policy switch
        {
            SharedCountersPolicy.Local => await _local.TakeAsync(takes, lease, cancellationToken),
            SharedCountersPolicy.Allow => new LimitVerdict(null, 0, TimeSpan.Zero, 0, [], LimitVerdict.NotCounted) { Taken = [.. takes.Select(t => t.Amount)] },
            _ => throw new LimitCountersUnavailableException("Redis did not answer a moment ago."),
        };
    }

    public async ValueTask SettleAsync(IReadOnlyList<LimitSettlement> settlements, long segment, string lease)
    {
        try
        {
            await _shared.SettleAsync(settlements, segment, lease);
            Reached();
        }
        catch (LimitCountersUnavailableException e)
        {
            Lost(e);
            // A minute window's change is not kept: its segment is gone by then, and sent twice it would count twice.
            Keep([.. settlements.Where(x => x.Bucket.Kind is LimitKinds.ConcurrentRequests or LimitKinds.Budget)], segment, lease);
        }
    }

    private void Keep(IReadOnlyList<LimitSettlement> settlements, long segment, string lease)
    {
        if (settlements.Count > 0 && _pending.Count < MaxPending)
        {
            _pending.Enqueue((settlements, segment, lease));
        }
    }

    // After an outage, each budget's shared counter starts again from the database's figure, once.
    private IReadOnlyList<LimitTake> Reseeded(IReadOnlyList<LimitTake> takes)
    {
        var epoch = Volatile.Read(ref _epoch);
        if (epoch == 0 || !takes.Any(t => t.Bucket.Kind == LimitKinds.Budget))
        {
            return takes;
        }

        return [.. takes.Select(t => t.Bucket.Kind == LimitKinds.Budget && FirstSince(t.Bucket.Id, epoch) ? t with { Reseed = true } : t)];
    }

    // True for the first take of a counter since the counters came back (epoch), once.
    private bool FirstSince(string id, int epoch)
    {
        while (true)
        {
            if (_seeded.TryGetValue(id, out var seen))
            {
                if (seen >= epoch)
                {
                    return false;
                }

                if (_seeded.TryUpdate(id, epoch, seen))
                {
                    return true;
                }
            }
            else if (_seeded.TryAdd(id, epoch))
            {
                return true;
            }
        }
    }

    private void Lost(LimitCountersUnavailableException e)
    {
        Volatile.Write(ref _retryAt, Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds);
        if (Interlocked.Exchange(ref _reachable, 0) == 1)
        {
            LogLost(_logger, e.Message, Policy.ToString().ToLowerInvariant());
        }
    }

    private void Reached()
    {
        if (Interlocked.Exchange(ref _reachable, 1) == 0)
        {
            Interlocked.Increment(ref _epoch);
            LogReached(_logger, _pending.Count);
        }

        if (!_pending.IsEmpty && Interlocked.Exchange(ref _draining, 1) == 0)
        {
            _ = DrainAsync();
        }
    }

    // Settlements kept while the counters were out of reach, in order; stops at the first that fails again.
    private async Task DrainAsync()
    {
        try
        {
            while (_pending.TryPeek(out var pending))
            {
                await _shared.SettleAsync(pending.Settlements, pending.Segment, pending.Lease);
                _pending.TryDequeue(out _);
            }
        }
        catch (LimitCountersUnavailableException e)
        {
            Lost(e);
        }
        catch (Exception e)
        {
            // One settlement Redis refuses (not for being out of reach) must not hold up the others behind it.
            LogDropped(_logger, e.GetType().Name);
            _pending.TryDequeue(out _);
        }
        finally
        {
            Volatile.Write(ref _draining, 0);
        }
    }

    [LoggerMessage(EventId = 4122, Level = LogLevel.Error, Message = "A kept limits settlement was refused by Redis ({Error}) and dropped.")]
    private static partial void LogDropped(ILogger logger, string error);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Shared limit counters out of reach ({Error}): limits are decided by policy '{Policy}' until they answer again.")]
    private static partial void LogLost(ILogger logger, string error, string policy);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Shared limit counters reachable again: limits are counted across the fleet ({Pending} settlements kept meanwhile are being sent).")]
    private static partial void LogReached(ILogger logger, int pending);
}
