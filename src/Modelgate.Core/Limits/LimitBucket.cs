using Modelgate.Core.Catalog;

namespace Modelgate.Core.Limits;

/// <summary>
/// One counter a limit is kept in, shared by every instance when counters are shared: requests or tokens over the last
/// minute (<see cref="LimitWindow"/>), requests in flight, or a budget's spend in the current period (in nano-USD,
/// <see cref="BudgetUnits"/>). <see cref="Id"/> names the counter (it carries what the limit belongs to and, for a
/// budget, its period), so a changed limit value keeps what was already used. A shadow limit is counted but never refuses.
/// </summary>
/// <param name="Id">The counter's name, the same on every instance.</param>
/// <param name="Kind">Which kind of limit.</param>
/// <param name="Scope">What the limit belongs to.</param>
/// <param name="Owner">Its owner for people: "provider 'openai'", "model 'gpt-4o'", "API key 'team-a'".</param>
/// <param name="Limit">The limit's value (nano-USD for a budget).</param>
/// <param name="Shadow">Counted and reported, not enforced.</param>
/// <param name="Description">The limit for people: "600 requests per minute", "daily budget of 10 USD".</param>
public sealed record LimitBucket(string Id, LimitKinds Kind, LimitScope Scope, string Owner, long Limit, bool Shadow, string Description)
{
    /// <summary>For a budget: when its period ends and the counter starts again.</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>Whether a fallback model may serve a call this limit refused (a provider's or a model's, not the caller's own).</summary>
    public bool AnotherModelMayServe => Scope is LimitScope.Provider or LimitScope.Model;
}
