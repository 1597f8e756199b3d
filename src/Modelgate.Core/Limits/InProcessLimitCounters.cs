using Modelgate.Core.Catalog;

namespace Modelgate.Core.Limits;

/// <summary>
/// Limits counted in this process, with the same rules as the fleet's shared counters: the only counters of a single
/// instance, and what each instance falls back to while the shared ones are out of reach. Then
/// <paramref name="share"/> says how many instances share each limit (a rate or a number in flight is divided among
/// them); a budget is never divided: its counter starts from the spend the database knows, plus the calls in flight here.
/// One lock guards every counter, so a take is all or nothing; it holds for microseconds.
/// </summary>
public sealed class InProcessLimitCounters(TimeProvider time, Func<int>? share = null) : ILimitCounters
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Window> _windows = [];
    private readonly Dictionary<string, Dictionary<string, long>> _inFlight = [];
    private readonly Dictionary<string, Dictionary<string, long>> _reserved = [];
    private long _takes;

    /// <summary>How long a place among the requests in flight is held when its call never gives it back.</summary>
    public static readonly TimeSpan LeaseLife = TimeSpan.FromMinutes(15);

    /// <summary>How long a shared budget holds a reservation its call never settled (a call's spend counts only while it does).</summary>
    public static readonly TimeSpan BudgetLeaseLife = TimeSpan.FromHours(1);

    public ValueTask<LimitVerdict> TakeAsync(IReadOnlyList<LimitTake> takes, string lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var segment = LimitWindow.SegmentOf(now);
        var divisor = Math.Max(1, share?.Invoke() ?? 1);
        List<LimitBucket>? over = null;
        lock (_lock)
        {
            if (++_takes % 1024 == 0)
            {
                Sweep(segment, now);
            }

            var taken = new long[takes.Count];
            for (var i = 0; i < takes.Count; i++)
            {
                var take = takes[i];
                var bucket = take.Bucket;
                var used = Used(bucket, take.Seed, segment, now);
                var limit = bucket.Kind == LimitKinds.Budget ? bucket.Limit : Math.Max(1, bucket.Limit / divisor);
                if (used + Math.Max(take.Needed, 1) <= limit)
                {
                    taken[i] = take.TakenFrom(used, limit);
                    continue;
                }

                if (bucket.Shadow)
                {
                    (over ??= []).Add(bucket);
                    taken[i] = take.Amount;
                    continue;
                }

                return ValueTask.FromResult(new LimitVerdict(bucket, used, RetryAfter(bucket, used, take.Needed, limit, segment, now), segment, over ?? [], this));
            }

            for (var i = 0; i < takes.Count; i++)
            {
                Take(takes[i].Bucket, taken[i], lease, segment, now);
            }

            return ValueTask.FromResult(new LimitVerdict(null, 0, TimeSpan.Zero, segment, over ?? [], this) { Taken = taken });
        }
    }

    public ValueTask SettleAsync(IReadOnlyList<LimitSettlement> settlements, long segment, string lease)
    {
        var current = LimitWindow.SegmentOf(time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (_lock)
        {
            foreach (var (bucket, reserved, actual) in settlements)
            {
                switch (bucket.Kind)
                {
                    case LimitKinds.ConcurrentRequests:
                        Remove(_inFlight, bucket.Id, lease, long.MaxValue);
                        break;
                    case LimitKinds.Budget:
                        // The spend itself reaches the database's figure (the seed) as the call is recorded.
                        Remove(_reserved, bucket.Id, lease, reserved);
                        break;
                    default:
                        if (segment > current - LimitWindow.Segments && _windows.TryGetValue(bucket.Id, out var window))
                        {
                            window.Add(segment, actual - reserved);
                        }

                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private long Used(LimitBucket bucket, long seed, long segment, long now) => bucket.Kind switch
    {
        LimitKinds.ConcurrentRequests => _inFlight.TryGetValue(bucket.Id, out var leases) ? leases.Count(l => l.Value > now) : 0,
        LimitKinds.Budget => seed + (_reserved.TryGetValue(bucket.Id, out var reserved) ? reserved.Values.Sum() : 0),
        _ => _windows.TryGetValue(bucket.Id, out var window) ? window.Used(segment) : 0,
    };

    private void Take(LimitBucket bucket, long amount, string lease, long segment, long now)
    {
        switch (bucket.Kind)
        {
            case LimitKinds.ConcurrentRequests:
                var leases = Get(_inFlight, bucket.Id);
                foreach (var expired in leases.Where(l => l.Value <= now).Select(l => l.Key).ToList())
                {
                    leases.Remove(expired);
                }

                leases[lease] = now + (long)LeaseLife.TotalMilliseconds;
                break;
            case LimitKinds.Budget:
                var reserved = Get(_reserved, bucket.Id);
                reserved[lease] = reserved.GetValueOrDefault(lease) + amount;
                break;
            default:
                if (!_windows.TryGetValue(bucket.Id, out var window))
                {
                    _windows[bucket.Id] = window = new Window();
                }

                window.Add(segment, amount);
                break;
        }
    }

    private TimeSpan RetryAfter(LimitBucket bucket, long used, long amount, long limit, long segment, long now) => bucket.Kind switch
    {
        LimitKinds.Budget => bucket.PeriodEnd is { } end ? end - DateTimeOffset.FromUnixTimeMilliseconds(now) : TimeSpan.FromHours(1),
        LimitKinds.ConcurrentRequests => TimeSpan.FromSeconds(1),
        _ => LimitWindow.RoomIn(_windows.TryGetValue(bucket.Id, out var window) ? window.Counts(segment) : new long[LimitWindow.Segments], segment, used, amount, limit, now),
    };

    private static Dictionary<string, long> Get(Dictionary<string, Dictionary<string, long>> all, string id)
    {
        if (!all.TryGetValue(id, out var entries))
        {
            all[id] = entries = [];
        }

        return entries;
    }

    private static void Remove(Dictionary<string, Dictionary<string, long>> all, string id, string lease, long amount)
    {
        if (all.TryGetValue(id, out var entries) && entries.TryGetValue(lease, out var held))
        {
            if (held <= amount)
            {
                entries.Remove(lease);
            }
            else
            {
                entries[lease] = held - amount;
            }

            if (entries.Count == 0)
            {
                all.Remove(id);
            }
        }
    }

    // Counters nobody took from for a minute hold nothing any more.
    private void Sweep(long segment, long now)
    {
        foreach (var id in _windows.Where(w => w.Value.Newest <= segment - LimitWindow.Segments).Select(w => w.Key).ToList())
        {
            _windows.Remove(id);
        }

        foreach (var (id, leases) in _inFlight.ToList())
        {
            if (leases.Values.All(expiry => expiry <= now))
            {
                _inFlight.Remove(id);
            }
        }
    }

    // The last minute's segments of one counter, in a ring.
    private sealed class Window
    {
        private readonly long[] _ids = new long[LimitWindow.Segments];
        private readonly long[] _counts = new long[LimitWindow.Segments];

        public long Newest => _ids.Max();

        public void Add(long segment, long amount)
        {
            var slot = (int)(segment % LimitWindow.Segments);
            if (_ids[slot] != segment)
            {
                _ids[slot] = segment;
                _counts[slot] = 0;
            }

            _counts[slot] = Math.Max(0, _counts[slot] + amount);
        }

        public long Used(long segment)
        {
            var used = 0L;
            foreach (var count in Counts(segment))
            {
                used += count;
            }

            return used;
        }

        // Oldest first, ending at the current segment.
        public long[] Counts(long segment)
        {
            var counts = new long[LimitWindow.Segments];
            for (var i = 0; i < LimitWindow.Segments; i++)
            {
                var s = segment - LimitWindow.Segments + 1 + i;
                var slot = (int)(s % LimitWindow.Segments);
                counts[i] = s >= 0 && _ids[slot] == s ? _counts[slot] : 0;
            }

            return counts;
        }
    }
}
