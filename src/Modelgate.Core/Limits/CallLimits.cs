using System.Globalization;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Limits;

/// <summary>
/// The limits of one call. Before each model is asked (<see cref="ReserveAsync"/>, run by <see cref="Pipeline.FallbackChain"/>)
/// one atomic take checks every limit the attempt touches — the provider's and the model's requests and tokens per
/// minute, the key's tokens per minute and budget, and, once per call, the key's requests per minute and place among
/// its requests in flight — and takes from all or none. Tokens are reserved as the prompt plus the answer's maximum,
/// spend as what those tokens would cost at the model's prices; a call that names no maximum (and whose model has no
/// default) needs room for its prompt only and reserves up to <see cref="Limiter.UnknownOutputReservation"/> answer
/// tokens, as far as there is room. A model that fails gives its reservation back (<see cref="ReleaseAsync"/>; its
/// request still counts: it was sent); when the call is over its place in flight is given back (<see cref="End"/>), and
/// once its usage is known the reservation becomes what it used (<see cref="Settle"/>). Nothing here throws but a refusal.
/// </summary>
public sealed class CallLimits
{
    // No call reserves more than this (a limit is at most 10¹²; a budget's nano-USD stay far from overflowing).
    private const long MaxAmount = 1_000_000_000_000_000;

    private readonly Limiter _limiter;
    private readonly VirtualKey? _key;
    private readonly Func<long> _countPrompt;
    private readonly long? _maxOutput;
    private readonly bool _answers;
    private readonly string _lease = Guid.NewGuid().ToString("N");
    private long? _promptTokens;
    private bool _keyHeld;
    private (LimitBucket Bucket, ILimitCounters Store)? _inFlight;
    private Held? _held;
    private int _ended;
    private int _settled;

    internal CallLimits(Limiter limiter, VirtualKey? key, Func<long> promptTokens, long? maxOutputTokens, bool answers)
    {
        _limiter = limiter;
        _key = key;
        _countPrompt = promptTokens;
        _maxOutput = maxOutputTokens is { } max ? Math.Clamp(max, 0, MaxAmount) : null;
        _answers = answers;
    }

    /// <summary>Whether a model's reservation is held, to be settled with what the call used.</summary>
    public bool Holds => Volatile.Read(ref _held) is not null;

    /// <summary>Takes what an attempt at <paramref name="model"/> needs, or throws <see cref="LimitReachedException"/> having taken nothing.</summary>
    public async ValueTask ReserveAsync(ResolvedModel model, CancellationToken cancellationToken)
    {
        var takes = Takes(model, out var perCall);
        if (takes.Count == 0)
        {
            return;
        }

        var verdict = await _limiter.Counters.TakeAsync(takes, _lease, cancellationToken);
        foreach (var bucket in verdict.OverInShadow)
        {
            _limiter.OverInShadow(bucket);
        }

        if (verdict.Refused is { } refused)
        {
            var refusal = new LimitReachedException(refused, verdict.Used, takes.First(t => t.Bucket == refused).Needed, verdict.RetryAfter);
            _limiter.Refused(refusal, model.Model.ModelId);
            throw refusal;
        }

        // What each counter holds for this attempt: tokens and spend (a flexible take may have taken less than asked),
        // and the provider's and model's requests (given back only when nothing was sent).
        var reserved = new List<LimitSettlement>();
        var requests = new List<LimitSettlement>();
        for (var i = 0; i < takes.Count; i++)
        {
            var (bucket, taken) = (takes[i].Bucket, verdict.Taken.Count > i ? verdict.Taken[i] : takes[i].Amount);
            if (bucket.Kind is LimitKinds.TokensPerMinute or LimitKinds.Budget)
            {
                reserved.Add(new LimitSettlement(bucket, taken, taken));
            }
            else if (bucket.Kind == LimitKinds.RequestsPerMinute && bucket.Scope != LimitScope.Key)
            {
                requests.Add(new LimitSettlement(bucket, 1, 1));
            }
        }

        _held = new Held(verdict.Store, verdict.Segment, reserved, requests);
        if (perCall)
        {
            _keyHeld = true;
            if (takes.FirstOrDefault(t => t.Bucket.Kind == LimitKinds.ConcurrentRequests).Bucket is { } inFlight)
            {
                _inFlight = (inFlight, verdict.Store);
            }
        }
    }

    /// <summary>
    /// The model last reserved for failed before answering: its tokens and spend are given back, and its requests too
    /// when nothing was <paramref name="sent"/> (an open circuit refused it).
    /// </summary>
    public ValueTask ReleaseAsync(bool sent)
    {
        var held = Interlocked.Exchange(ref _held, null);
        return held is null ? ValueTask.CompletedTask
            : SettleQuietly(held.Store, held.Segment, [.. held.Reserved.Concat(sent ? [] : held.Requests).Select(r => r with { Actual = 0 })]);
    }

    /// <summary>The call is over (answered, failed or left): its place among the key's requests in flight is given back. Once.</summary>
    public void End()
    {
        if (InFlightPlace() is { } place)
        {
            _ = SettleQuietly(place.Store, 0, [place.Settlement]);
        }
    }

    /// <summary>
    /// The call used <paramref name="tokens"/> and cost <paramref name="costUsd"/>: the reservations of the model that
    /// served become that, and the call ends (<see cref="End"/>), in one step. Once.
    /// </summary>
    public void Settle(long tokens, decimal? costUsd) => SettleWith(r => r.Bucket.Kind == LimitKinds.Budget ? BudgetUnits.FromUsd(costUsd ?? 0) : Math.Clamp(tokens, 0, MaxAmount));

    /// <summary>The call is over but what it used is unknown (its record could not be made): what it reserved is taken as used.</summary>
    public void SettleAsReserved() => SettleWith(r => r.Reserved);

    private void SettleWith(Func<LimitSettlement, long> actual)
    {
        var place = InFlightPlace();
        if (Interlocked.Exchange(ref _settled, 1) != 0 || Interlocked.Exchange(ref _held, null) is not { } held)
        {
            if (place is not null)
            {
                _ = SettleQuietly(place.Value.Store, 0, [place.Value.Settlement]);
            }

            return;
        }

        var settlements = held.Reserved.Select(r => r with { Actual = actual(r) }).ToList();
        if (place is { } p && p.Store == held.Store)
        {
            settlements.Add(p.Settlement);
        }
        else if (place is { } other)
        {
            _ = SettleQuietly(other.Store, 0, [other.Settlement]);
        }

        _ = SettleQuietly(held.Store, held.Segment, settlements);
    }

    // The call's place in flight, the first time it is asked for (it is given back once).
    private (ILimitCounters Store, LimitSettlement Settlement)? InFlightPlace() =>
        _inFlight is var (bucket, store) && Interlocked.Exchange(ref _ended, 1) == 0 ? (store, new LimitSettlement(bucket, 1, 0)) : null;

    private List<LimitTake> Takes(ResolvedModel model, out bool perCall)
    {
        var takes = new List<LimitTake>();
        perCall = false;
        AddRate(takes, model.Provider.Limits, LimitScope.Provider, $"p:{model.Provider.Id}", $"provider '{model.Provider.Name}'", model);
        AddRate(takes, model.Model.Limits, LimitScope.Model, $"m:{model.Model.Id}", $"model '{model.Model.ModelId}'", model);
        if (_key is { } key)
        {
            var owner = $"API key '{key.Name}'";
            if (!_keyHeld)
            {
                var before = takes.Count;
                if (key.Limits.RequestsPerMinute is { } rpm)
                {
                    takes.Add(new LimitTake(Bucket($"k:{key.Id}:rpm", LimitKinds.RequestsPerMinute, LimitScope.Key, owner, rpm, key.Limits, $"{rpm} requests per minute"), 1));
                }

                if (key.Limits.ConcurrentRequests is { } concurrent)
                {
                    takes.Add(new LimitTake(Bucket($"k:{key.Id}:conc", LimitKinds.ConcurrentRequests, LimitScope.Key, owner, concurrent, key.Limits, $"{concurrent} requests at once"), 1));
                }

                perCall = takes.Count > before;
            }

            if (key.Limits.TokensPerMinute is { } tpm)
            {
                takes.Add(TokensTake(Bucket($"k:{key.Id}:tpm", LimitKinds.TokensPerMinute, LimitScope.Key, owner, tpm, key.Limits, $"{tpm} tokens per minute"), model));
            }

            if (key.Budget is { } budget)
            {
                takes.Add(BudgetTake(key, budget, owner, model));
            }
        }

        return takes;
    }

    /// <summary>One request more to <paramref name="model"/>'s provider and model (a retry): their requests-per-minute counters.</summary>
    internal static List<LimitTake> RequestTakes(ResolvedModel model)
    {
        var takes = new List<LimitTake>();
        AddRequests(takes, model.Provider.Limits, LimitScope.Provider, $"p:{model.Provider.Id}", $"provider '{model.Provider.Name}'");
        AddRequests(takes, model.Model.Limits, LimitScope.Model, $"m:{model.Model.Id}", $"model '{model.Model.ModelId}'");
        return takes;
    }

    private static void AddRequests(List<LimitTake> takes, RateLimits limits, LimitScope scope, string id, string owner)
    {
        if (limits.RequestsPerMinute is { } rpm)
        {
            takes.Add(new LimitTake(Bucket(id + ":rpm", LimitKinds.RequestsPerMinute, scope, owner, rpm, limits, $"{rpm} requests per minute"), 1));
        }
    }

    private void AddRate(List<LimitTake> takes, RateLimits limits, LimitScope scope, string id, string owner, ResolvedModel model)
    {
        AddRequests(takes, limits, scope, id, owner);
        if (limits.TokensPerMinute is { } tpm)
        {
            takes.Add(TokensTake(Bucket(id + ":tpm", LimitKinds.TokensPerMinute, scope, owner, tpm, limits, $"{tpm} tokens per minute"), model));
        }
    }

    // The prompt and the most the answer may take; flexible (the prompt at least) when the answer's maximum is not known.
    private LimitTake TokensTake(LimitBucket bucket, ResolvedModel model)
    {
        var (prompt, output, known) = Demand(model);
        return new LimitTake(bucket, Math.Min(prompt + output, MaxAmount)) { Floor = known ? null : prompt };
    }

    private LimitTake BudgetTake(VirtualKey key, Budget budget, string owner, ResolvedModel model)
    {
        var now = _limiter.Time.GetUtcNow();
        var start = Budget.PeriodStart(budget.Period, now);
        var bucket = new LimitBucket($"k:{key.Id}:budget:{start.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}", LimitKinds.Budget, LimitScope.Key, owner,
            BudgetUnits.FromUsd(budget.AmountUsd), key.Limits.IsShadow(LimitKinds.Budget), $"{Budget.Name(budget.Period)} budget of {budget.AmountUsd:0.######} USD")
        {
            PeriodEnd = Budget.PeriodEnd(budget.Period, now),
        };
        var spent = _limiter.Spend?.StateOf(key)?.SpentUsd ?? 0;
        var (prompt, output, known) = Demand(model);
        var most = BudgetUnits.FromUsd(Cost.Of(model.Model.Pricing, new TokenCounts(prompt, output, 0, Estimated: true)) ?? 0);
        var least = BudgetUnits.FromUsd(Cost.Of(model.Model.Pricing, new TokenCounts(prompt, 0, 0, Estimated: true)) ?? 0);
        return new LimitTake(bucket, Math.Min(most, MaxAmount), BudgetUnits.FromUsd(spent)) { Floor = known ? null : Math.Min(least, MaxAmount) };
    }

    private static LimitBucket Bucket(string id, LimitKinds kind, LimitScope scope, string owner, long limit, RateLimits limits, string description) =>
        new(id, kind, scope, owner, limit, limits.IsShadow(kind), description);

    // The prompt's tokens, the answer's most, and whether that most is known (the request's or the model's maximum).
    private (long Prompt, long Output, bool Known) Demand(ResolvedModel model)
    {
        var prompt = Math.Min(_promptTokens ??= Math.Max(0, _countPrompt()), MaxAmount);
        if (!_answers)
        {
            return (prompt, 0, true);
        }

        var known = _maxOutput ?? model.Model.Parameters.MaxTokens;
        return (prompt, Math.Min(known ?? Limiter.UnknownOutputReservation, MaxAmount), known is not null);
    }

    // Settlements never fail the call: the counters that could not take one say so (FleetLimitCounters keeps it for later).
    private async ValueTask SettleQuietly(ILimitCounters store, long segment, IReadOnlyList<LimitSettlement> settlements)
    {
        if (settlements.Count == 0)
        {
            return;
        }

        try
        {
            await store.SettleAsync(settlements, segment, _lease);
        }
        catch (Exception e)
        {
            _limiter.SettlementFailed(e);
        }
    }

    // What an attempt at one model holds: tokens and spend reserved, and the provider's and model's requests.
    private sealed record Held(ILimitCounters Store, long Segment, IReadOnlyList<LimitSettlement> Reserved, IReadOnlyList<LimitSettlement> Requests);
}
