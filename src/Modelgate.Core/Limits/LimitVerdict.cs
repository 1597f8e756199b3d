namespace Modelgate.Core.Limits;

/// <summary>
/// The answer to a take: admitted (everything was taken), or refused by <see cref="Refused"/> (nothing was taken), with
/// what that counter had used and when it will have room. <see cref="OverInShadow"/> are shadow limits the call went
/// over (taken anyway). <see cref="Segment"/> is the minute segment the take counted in (settlements adjust it).
/// <see cref="Store"/> is where the take was counted, so what it reserved is settled there: the fleet's shared
/// counters, this instance's, or <see cref="NotCounted"/> when neither counted it.
/// </summary>
public sealed record LimitVerdict(LimitBucket? Refused, long Used, TimeSpan RetryAfter, long Segment, IReadOnlyList<LimitBucket> OverInShadow, ILimitCounters Store)
{
    /// <summary>What was taken from each counter, in the order of the takes (a flexible take may have taken less than its amount); empty when refused.</summary>
    public IReadOnlyList<long> Taken { get; init; } = [];

    /// <summary>Counters that count nothing: where a take admitted without counting (shared counters out of reach, policy <c>allow</c>) settles.</summary>
    public static readonly ILimitCounters NotCounted = new Nothing();

    public bool Admitted => Refused is null;

    private sealed class Nothing : ILimitCounters
    {
        public ValueTask<LimitVerdict> TakeAsync(IReadOnlyList<LimitTake> takes, string lease, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new LimitVerdict(null, 0, TimeSpan.Zero, 0, [], this) { Taken = [.. takes.Select(t => t.Amount)] });

        public ValueTask SettleAsync(IReadOnlyList<LimitSettlement> settlements, long segment, string lease) => ValueTask.CompletedTask;
    }
}
