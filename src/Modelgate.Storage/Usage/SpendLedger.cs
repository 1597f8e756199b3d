using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Spend per virtual key for budgets, without a database read on the request path: the database's per-key daily
/// totals (<c>key_spend</c>, summed by every instance's writer) are re-read every few seconds, and this instance's
/// own calls are added as they are recorded. Another instance's spend therefore shows up here within the refresh
/// interval plus its writer's delay: a budget can be overshot by what the fleet spends in that window, never more.
/// </summary>
public sealed class SpendLedger(IDbContextFactory<ModelgateDbContext> contexts, TimeProvider time) : IKeySpend
{
    private readonly ConcurrentDictionary<(Guid Key, int Day), long> _stored = new();
    private readonly ConcurrentDictionary<(Guid Key, int Day), long> _pending = new();

    public static int DayOf(DateTimeOffset at) => (int)(at.ToUnixTimeMilliseconds() / 86_400_000);

    /// <summary>The key's state against its budget now, or null when it has none.</summary>
    public BudgetState? StateOf(VirtualKey key)
    {
        if (key.Budget is not { } budget)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var start = Budget.PeriodStart(budget.Period, now);
        var picos = 0m;
        for (var day = DayOf(start); day <= DayOf(now); day++)
        {
            picos += (decimal)_stored.GetValueOrDefault((key.Id, day)) + _pending.GetValueOrDefault((key.Id, day));
        }

        return new BudgetState(budget.AmountUsd, budget.Period, Cost.FromPicos(picos), start, Budget.PeriodEnd(budget.Period, now));
    }

    /// <summary>A call was recorded (not yet written).</summary>
    internal void Recorded(UsageRecord record)
    {
        if (record is { KeyId: { } key, Cost: > 0 and var cost })
        {
            _pending.AddOrUpdate((key, DayOf(record.At)), Cost.ToPicos(cost), (_, v) => v + Cost.ToPicos(cost));
        }
    }

    /// <summary>A recorded call that will never be written (dropped): no longer pending.</summary>
    internal void Forget(UsageRecord record)
    {
        if (record is { KeyId: { } key, Cost: > 0 and var cost })
        {
            _pending.AddOrUpdate((key, DayOf(record.At)), 0, (_, v) => Math.Max(0, v - Cost.ToPicos(cost)));
        }
    }

    /// <summary>
    /// Calls were written: they move from pending to stored. (Spilled calls stay pending until their replay; a replay
    /// after a restart finds nothing pending, hence the floor at zero.)
    /// </summary>
    internal void Written(IEnumerable<UsageRecord> records)
    {
        foreach (var record in records)
        {
            if (record is { KeyId: { } key, Cost: > 0 and var cost })
            {
                var picos = Cost.ToPicos(cost);
                var day = (key, DayOf(record.At));
                _pending.AddOrUpdate(day, 0, (_, v) => Math.Max(0, v - picos));
                _stored.AddOrUpdate(day, picos, (_, v) => v + picos);
            }
        }
    }

    /// <summary>Re-reads the stored spend of every key that has a budget, for the days of a month back.</summary>
    public async Task RefreshAsync(IReadOnlyCollection<VirtualKey> budgeted, CancellationToken cancellationToken)
    {
        if (budgeted.Count == 0)
        {
            return;
        }

        var ids = budgeted.Select(k => k.Id).ToList();
        var from = DayOf(time.GetUtcNow()) - 31;
        await using var db = contexts.CreateDbContext();
        var rows = (await db.KeySpend.AsNoTracking().Where(s => s.Day >= from && ids.Contains(s.KeyId)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.KeyId, s.Day), s => s.CostPicos);
        // Each day is replaced by what the database holds, in place, so a reader never sees a gap.
        foreach (var id in ids)
        {
            for (var day = from; day <= from + 32; day++)
            {
                _stored[(id, day)] = rows.GetValueOrDefault((id, day));
            }
        }
    }
}
