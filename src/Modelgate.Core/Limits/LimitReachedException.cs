using Modelgate.Core.Catalog;

namespace Modelgate.Core.Limits;

/// <summary>
/// A limit configured in Modelgate refused a call (<see cref="Bucket"/> says whose and which); nothing was sent and
/// nothing was taken from any other limit. <see cref="Wait"/> says when it will have room. A provider's or a model's
/// limit lets the next model of a fallback chain serve; a key's own limit ends the call.
/// </summary>
public sealed class LimitReachedException(LimitBucket bucket, long used, long amount, TimeSpan wait) : Exception(Say(bucket, used, amount, wait))
{
    public LimitBucket Bucket { get; } = bucket;

    /// <summary>What the counter had used when the call came (tokens, requests, or nano-USD).</summary>
    public long Used { get; } = used;

    /// <summary>What the call asked of it.</summary>
    public long Amount { get; } = amount;

    public TimeSpan Wait { get; } = wait;

    /// <summary>The error code callers see: budget_exceeded for a budget, rate_limit_exceeded for the rest.</summary>
    public string Code => Bucket.Kind == LimitKinds.Budget ? "budget_exceeded" : "rate_limit_exceeded";

    private static string Say(LimitBucket bucket, long used, long amount, TimeSpan wait)
    {
        var retry = bucket.PeriodEnd is { } end ? $"it starts again at {end:u}" : $"try again in {Math.Ceiling(wait.TotalSeconds):0} s";
        var owner = char.ToUpperInvariant(bucket.Owner[0]) + bucket.Owner[1..];
        return bucket.Kind switch
        {
            LimitKinds.Budget => $"{owner} has no room in its {bucket.Description} for this call: {BudgetUnits.ToUsd(used):0.######} USD spent or reserved, "
                + $"and the call may cost up to {BudgetUnits.ToUsd(amount):0.######} USD; {retry}.",
            LimitKinds.TokensPerMinute when amount > bucket.Limit => $"{owner} is limited to {bucket.Description}, and this call alone may take {amount} "
                + "(its prompt and its max tokens): lower max_tokens or shorten the prompt.",
            LimitKinds.TokensPerMinute => $"{owner} is at its limit of {bucket.Description} ({used} used, this call may take {amount}); {retry}.",
            _ => $"{owner} is at its limit of {bucket.Description}; {retry}.",
        };
    }
}
