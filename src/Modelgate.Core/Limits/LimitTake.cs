namespace Modelgate.Core.Limits;

/// <summary>
/// What a call takes from one counter: one request, its reserved tokens, its reserved spend, or a place among the
/// requests in flight. For a budget, <see cref="Seed"/> is what the database says the period has spent so far: a shared
/// counter starts from it, and an in-process one adds the calls in flight to it. A take with a <see cref="Floor"/> is
/// flexible: it needs room for the floor only, and takes as much of <see cref="Amount"/> as there is room for (a call
/// that names no max tokens reserves what it may, not more than the limit leaves).
/// </summary>
public readonly record struct LimitTake(LimitBucket Bucket, long Amount, long Seed = 0)
{
    /// <summary>The least the take needs room for (null: all of <see cref="Amount"/>).</summary>
    public long? Floor { get; init; }

    /// <summary>What the counter must have room for: the floor, or the whole amount.</summary>
    public long Needed => Math.Min(Floor ?? Amount, Amount);

    /// <summary>What is taken from a counter that has used <paramref name="used"/> of <paramref name="limit"/>, having room for <see cref="Needed"/>.</summary>
    public long TakenFrom(long used, long limit) => Floor is null ? Amount : Math.Max(Needed, Math.Min(Amount, limit - used));

    /// <summary>A shared budget counter starts again from <see cref="Seed"/> (after the counters were out of reach, and missed spend).</summary>
    public bool Reseed { get; init; }
}
