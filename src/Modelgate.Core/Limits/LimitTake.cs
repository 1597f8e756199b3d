namespace Modelgate.Core.Limits;

/// <summary>
/// What a call takes from one counter: one request, its reserved tokens, its reserved spend, or a place among the
/// requests in flight. For a budget, <see cref="Seed"/> is what the database says the period has spent so far: a shared
/// counter starts from it, and an in-process one adds the calls in flight to it.
/// </summary>
public readonly record struct LimitTake(LimitBucket Bucket, long Amount, long Seed = 0)
{
    /// <summary>A shared budget counter starts again from <see cref="Seed"/> (after the counters were out of reach, and missed spend).</summary>
    public bool Reseed { get; init; }
}
