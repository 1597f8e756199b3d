using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>An instance as <c>GET /api/v1/instances</c> shows it; <c>lag</c> is how many versions it is behind.</summary>
public sealed record InstanceView(
    string Id, string Host, int ProcessId, DateTime StartedAt, long ConfigVersion, string ConfigSource, DateTime? LastChangeAt,
    DateTime HeartbeatAt, bool IsAlive, long Lag, bool IsSelf);

/// <summary>The fleet at a glance: every instance seen recently and the latest published version.</summary>
public sealed record FleetView(long LatestVersion, bool AllCurrent, IReadOnlyList<InstanceView> Instances);

/// <summary>
/// Reports this process in the <c>instances</c> table (at start, on every catalog change, and every few seconds)
/// and lists the fleet; removes its row on a graceful stop. Rows not refreshed for a day are removed.
/// </summary>
public sealed partial class InstanceRegistry(
    IDbContextFactory<ModelgateDbContext> contexts, CurrentCatalog catalog, TimeProvider time, ILogger<InstanceRegistry> logger, Core.Limits.ILimitCounters? limits = null)
    : BackgroundService
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AliveWindow = TimeSpan.FromSeconds(30);
    // Short, so that a database that does not answer never holds up a shutdown: the row then ages out of AliveWindow.
    private static readonly TimeSpan DeregisterTimeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly DateTime _startedAt = time.UtcNow();

    private int _liveInstances = 1;
    private int _warnedPerInstance;

    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Instances that reported within the last 30 s, this one included (as of this instance's last heartbeat; at least 1).</summary>
    public int LiveInstances => Volatile.Read(ref _liveInstances);

    public async Task<FleetView> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var latest = await db.ConfigVersions.MaxAsync(v => (long?)v.Version, cancellationToken) ?? 0;
        var now = time.UtcNow();
        var rows = await db.Instances.AsNoTracking().OrderBy(i => i.StartedAt).ToListAsync(cancellationToken);
        var views = rows.Select(r => new InstanceView(r.Id, r.Host, r.ProcessId, r.StartedAt, r.ConfigVersion, r.ConfigSource, r.LastChangeAt, r.HeartbeatAt,
            now - r.HeartbeatAt <= AliveWindow, Math.Max(0, latest - r.ConfigVersion), r.Id == InstanceId)).ToList();
        return new FleetView(latest, views.Where(v => v.IsAlive).All(v => v.Lag == 0), views);
    }

    /// <summary>Writes this instance's row now.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var state = catalog.State;
        await using var db = contexts.CreateDbContext();
        var row = await db.Instances.SingleOrDefaultAsync(i => i.Id == InstanceId, cancellationToken);
        if (row is null)
        {
            row = new InstanceEntity { Id = InstanceId, Host = Environment.MachineName, ProcessId = Environment.ProcessId, StartedAt = _startedAt, ConfigSource = "" };
            db.Instances.Add(row);
        }

        var now = time.UtcNow();
        row.ConfigVersion = state.Snapshot.Version;
        row.ConfigSource = state.Origin.ToName();
        // A change made here is applied directly; one made elsewhere arrives through the monitor.
        row.LastChangeAt = state.AppliedAt.UtcDateTime;
        row.HeartbeatAt = now;
        await db.Instances.Where(i => i.HeartbeatAt < now.AddDays(-1)).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var alive = now - AliveWindow;
        var live = Math.Max(1, await db.Instances.CountAsync(i => i.HeartbeatAt >= alive, cancellationToken));
        Volatile.Write(ref _liveInstances, live);
        if (live > 1 && limits is not Core.Limits.FleetLimitCounters && Interlocked.Exchange(ref _warnedPerInstance, 1) == 0)
        {
            LogLimitsPerInstance(logger, live);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        catalog.Changed += _ => _wake.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A heartbeat is best effort: never let it stop the host.
                LogHeartbeatFailed(logger, e.Message);
            }

            try
            {
                await _wake.WaitAsync(HeartbeatInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops the heartbeat, then removes this instance's row, so the fleet stops listing it as alive at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var timeout = new CancellationTokenSource(DeregisterTimeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await using var db = contexts.CreateDbContext();
            await db.Instances.Where(i => i.Id == InstanceId).ExecuteDeleteAsync(bounded.Token);
        }
        catch (Exception e)
        {
            // Whatever the database does, the process stops; the row is then shown as not alive after AliveWindow.
            LogDeregisterFailed(logger, e.Message, AliveWindow.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Instance row not removed at shutdown ({Error}); it shows as not alive once its last heartbeat is {AliveSeconds} s old")]
    private static partial void LogDeregisterFailed(ILogger logger, string error, double aliveSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Modelgate instances share this database, but limits and budgets are counted in each instance "
        + "(a limit of 600 requests per minute lets the fleet send {Count} times as many): set MODELGATE_REDIS on every instance to share them.")]
    private static partial void LogLimitsPerInstance(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Instance heartbeat not written: {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string error);
}
