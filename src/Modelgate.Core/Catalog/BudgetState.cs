namespace Modelgate.Core.Catalog;

/// <summary>What a key spent in its current budget period, and whether it may spend more.</summary>
public sealed record BudgetState(decimal AmountUsd, BudgetPeriod Period, decimal SpentUsd, DateTimeOffset PeriodStart, DateTimeOffset ResetsAt)
{
    public bool Exhausted => SpentUsd >= AmountUsd;

    public decimal RemainingUsd => Math.Max(0, AmountUsd - SpentUsd);
}
