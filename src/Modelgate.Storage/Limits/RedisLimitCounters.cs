using System.Globalization;
using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;
using StackExchange.Redis;

namespace Modelgate.Storage.Limits;

/// <summary>
/// Limit counters shared by a fleet in Redis: each take and each settlement is one Lua script (<c>take.lua</c>,
/// <c>settle.lua</c>) that Redis runs atomically on its own clock, so every instance sees the same counters and a take
/// is all or nothing whatever the number of instances. A minute window is a hash of its 10-second segments, the requests
/// in flight a sorted set of leases by expiry, a budget a hash of its spend and its reservations (with a sorted set of
/// when they expire). Keys are named <c>mg:{l}:…</c> (one hash slot, for a Redis Cluster). Redis out of reach, or slow
/// past its timeout, is a <see cref="LimitCountersUnavailableException"/>.
/// </summary>
public sealed class RedisLimitCounters(IConnectionMultiplexer redis, bool ownsConnection = false) : ILimitCounters, IDisposable
{
    private const string Prefix = "mg:{l}:";
    private static readonly LuaCode Take = new(Script("take.lua"));
    private static readonly LuaCode Settle = new(Script("settle.lua"));
    private int _disposed;
    private static readonly string LeaseLife = ((long)InProcessLimitCounters.LeaseLife.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    private static readonly string BudgetLeaseLife = ((long)InProcessLimitCounters.BudgetLeaseLife.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Counters in the Redis that <paramref name="configuration"/> names (a StackExchange.Redis configuration string, e.g.
    /// <c>127.0.0.1:6379,password=…</c>), on a connection of their own (<see cref="LimitsServiceCollectionExtensions.Options"/>).
    /// </summary>
    public static RedisLimitCounters Connect(string configuration) =>
        new(ConnectionMultiplexer.Connect(LimitsServiceCollectionExtensions.Options(configuration)), ownsConnection: true);

    /// <summary>Whether Redis answers a PING within <paramref name="timeout"/>.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (ownsConnection && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            redis.Dispose();
        }
    }

    public async ValueTask<LimitVerdict> TakeAsync(IReadOnlyList<LimitTake> takes, string lease, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[takes.Count * 2];
        var args = new RedisValue[3 + (takes.Count * 7)];
        args[0] = lease;
        args[1] = LeaseLife;
        args[2] = BudgetLeaseLife;
        for (var i = 0; i < takes.Count; i++)
        {
            var take = takes[i];
            (keys[2 * i], keys[(2 * i) + 1]) = Keys(take.Bucket);
            var a = 3 + (i * 7);
            args[a] = take.Bucket.Kind == LimitKinds.Budget && take.Reseed ? "B" : Kind(take.Bucket);
            args[a + 1] = take.Bucket.Limit;
            args[a + 2] = take.Amount;
            args[a + 3] = take.Bucket.Shadow ? "1" : "0";
            args[a + 4] = take.Seed;
            args[a + 5] = take.Bucket.PeriodEnd is { } end ? end.AddDays(1).ToUnixTimeMilliseconds() : 0;
            args[a + 6] = take.Needed;
        }

        var result = (RedisResult[])(await RunAsync(Take, keys, args))!;
        if ((long)result[0] == 0)
        {
            return new LimitVerdict(takes[(int)result[1] - 1].Bucket, (long)result[2], TimeSpan.FromMilliseconds(Math.Max(1, (long)result[3])), (long)result[4], [], this);
        }

        var taken = ((RedisResult[])result[2]!).Select(r => (long)r).ToArray();
        var over = ((RedisResult[])result[3]!).Select(r => takes[(int)r - 1].Bucket).ToList();
        return new LimitVerdict(null, 0, TimeSpan.Zero, (long)result[1], over, this) { Taken = taken };
    }

    public async ValueTask SettleAsync(IReadOnlyList<LimitSettlement> settlements, long segment, string lease)
    {
        var keys = new RedisKey[settlements.Count * 2];
        var args = new RedisValue[2 + (settlements.Count * 3)];
        args[0] = lease;
        args[1] = segment;
        for (var i = 0; i < settlements.Count; i++)
        {
            var (bucket, reserved, actual) = settlements[i];
            (keys[2 * i], keys[(2 * i) + 1]) = Keys(bucket);
            var a = 2 + (i * 3);
            args[a] = Kind(bucket);
            args[a + 1] = actual - reserved;
            args[a + 2] = actual;
        }

        await RunAsync(Settle, keys, args);
    }

    private async Task<RedisResult> RunAsync(LuaCode script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            // By its hash (EVALSHA): a few bytes a call. A Redis that does not have it (restarted, flushed) is sent the
            // whole script once, which loads it again.
            try
            {
                return await redis.GetDatabase().ScriptEvaluateAsync(script.Hash, keys, args);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                return await redis.GetDatabase().ScriptEvaluateAsync(script.Text, keys, args);
            }
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
            || (e is RedisServerException server && IsUnavailable(server.Message)))
        {
            throw new LimitCountersUnavailableException($"Redis: {e.GetType().Name}", e);
        }
    }

    // A server that cannot take writes now (loading, a read-only replica, out of memory, busy with a script) is out of reach too.
    private static bool IsUnavailable(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal) || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("OOM", StringComparison.Ordinal) || message.StartsWith("BUSY", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal) || message.StartsWith("TRYAGAIN", StringComparison.Ordinal);

    private static (RedisKey Counter, RedisKey Expiries) Keys(LimitBucket bucket) => (Prefix + bucket.Id, Prefix + bucket.Id + ":e");

    private static string Kind(LimitBucket bucket) => bucket.Kind switch
    {
        LimitKinds.ConcurrentRequests => "c",
        LimitKinds.Budget => "b",
        _ => "w",
    };

    // A script and its SHA-1, the name Redis knows it by.
    private sealed record LuaCode(string Text)
    {
        public byte[] Hash { get; } = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Text));
    }

    private static string Script(string name)
    {
        using var stream = typeof(RedisLimitCounters).Assembly.GetManifestResourceStream($"Modelgate.Storage.Limits.{name}")
            ?? throw new InvalidOperationException($"The script {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
