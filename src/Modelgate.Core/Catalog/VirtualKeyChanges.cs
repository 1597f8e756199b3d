using Modelgate.Core.Validation;

namespace Modelgate.Core.Catalog;

/// <summary>The fields an administrator may set on a gateway key; the secret itself is generated, never chosen.</summary>
public sealed record VirtualKeyChanges
{
    /// <summary>The limits a key has, and so may put in shadow mode.</summary>
    public const LimitKinds ShadowableLimits = LimitKinds.RequestsPerMinute | LimitKinds.TokensPerMinute | LimitKinds.ConcurrentRequests | LimitKinds.Budget;

    /// <summary>The most requests one key may have in flight at once.</summary>
    public const int MaxConcurrentRequests = 1_000_000;

    public Optional<string?> Name { get; init; }

    /// <summary>Purposes the key may use (<c>chat</c>, <c>agents</c>, <c>agents/researcher</c>, <c>agents/*</c>); empty or null: all.</summary>
    public Optional<string[]?> AllowedPurposes { get; init; }

    /// <summary>Upstream model names the key may reach; empty or null: all.</summary>
    public Optional<string[]?> AllowedModels { get; init; }

    /// <summary>A free-form application or team label, for usage by team (charge-back); null: none.</summary>
    public Optional<string?> Team { get; init; }

    /// <summary>When the key stops working; null: never.</summary>
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }

    /// <summary>The key's spending limit in USD per <see cref="BudgetPeriod"/>; null: none.</summary>
    public Optional<decimal?> BudgetUsd { get; init; }

    /// <summary><c>daily</c> or <c>monthly</c> (the default when a budget is set).</summary>
    public Optional<string?> BudgetPeriod { get; init; }

    /// <summary>The key's requests per minute; null: no limit of its own.</summary>
    public Optional<int?> RequestsPerMinute { get; init; }

    /// <summary>The key's tokens per minute; null: no limit of its own.</summary>
    public Optional<long?> TokensPerMinute { get; init; }

    /// <summary>The key's requests in flight at once; null: no limit of its own.</summary>
    public Optional<int?> ConcurrentRequests { get; init; }

    /// <summary>Limits counted and reported but not enforced (<c>requests_per_minute</c>, <c>tokens_per_minute</c>, <c>concurrent_requests</c>, <c>budget</c>); null or empty: none.</summary>
    public Optional<string[]?> ShadowLimits { get; init; }

    public ValidationErrors Validate(bool creating, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        FieldRules.Text(errors, "name", Name, 200, required: creating);
        FieldRules.Text(errors, "team", Team, 100, required: false, nullable: true);
        foreach (var purpose in AllowedPurposes.Or(null) ?? [])
        {
            if (purpose != "agents/*" && !Purpose.TryParse(purpose, out _, out var error))
            {
                errors.Add("allowed_purposes", error + " (or 'agents/*' for every agent type)");
            }
        }

        foreach (var model in AllowedModels.Or(null) ?? [])
        {
            FieldRules.Text(errors, "allowed_models", model, ModelValidator.MaxModelIdLength, required: true);
        }

        if ((AllowedPurposes.Or(null)?.Length ?? 0) > 100 || (AllowedModels.Or(null)?.Length ?? 0) > 100)
        {
            errors.Add("allowed_purposes", "at most 100 entries per allow-list");
        }

        if (ExpiresAt is { HasValue: true, Value: { } expiry } && expiry <= now)
        {
            errors.Add("expires_at", $"expires_at must be in the future (it is now {now:u}); revoke a key to stop it at once");
        }

        if (BudgetUsd is { HasValue: true, Value: { } budget })
        {
            if (budget < 0 || budget > 1_000_000m)
            {
                errors.Add("budget_usd", $"budget_usd must be between 0 and 1000000 (USD), or null for no budget; got {budget}");
            }
            else if (budget.Scale > 6)
            {
                errors.Add("budget_usd", $"budget_usd may have at most 6 decimal places; got {budget}");
            }
        }

        if (BudgetPeriod is { HasValue: true, Value: { } period } && !Catalog.Budget.TryParsePeriod(period, out _))
        {
            errors.Add("budget_period", $"budget_period must be 'daily' or 'monthly'; got '{period}'");
        }

        FieldRules.PerMinute(errors, RequestsPerMinute, TokensPerMinute);
        FieldRules.PositiveOrNull(errors, LimitNames.ConcurrentRequests, ConcurrentRequests, MaxConcurrentRequests);
        FieldRules.ShadowLimits(errors, ShadowLimits, ShadowableLimits, "virtual key");
        return errors;
    }
}
