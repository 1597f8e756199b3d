namespace Modelgate.Core.Catalog;

/// <summary>How often a key's budget starts again (at midnight UTC, or on the first of the month UTC).</summary>
public enum BudgetPeriod
{
    Daily,
    Monthly,
}

/// <summary>A spending limit in USD per period for a virtual key.</summary>
public sealed record Budget(decimal AmountUsd, BudgetPeriod Period)
{
    public static bool TryParsePeriod(string? text, out BudgetPeriod period)
    {
        period = text switch { "daily" => BudgetPeriod.Daily, "monthly" => BudgetPeriod.Monthly, _ => (BudgetPeriod)(-1) };
        return period is BudgetPeriod.Daily or BudgetPeriod.Monthly;
    }

    public static string Name(BudgetPeriod period) => period == BudgetPeriod.Daily ? "daily" : "monthly";

    /// <summary>The start of the period that contains <paramref name="now"/>, in UTC.</summary>
    public static DateTimeOffset PeriodStart(BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return period == BudgetPeriod.Daily
            ? new DateTimeOffset(utc.Date, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>When the period that contains <paramref name="now"/> ends (and the budget starts again).</summary>
    public static DateTimeOffset PeriodEnd(BudgetPeriod period, DateTimeOffset now) =>
        period == BudgetPeriod.Daily ? PeriodStart(period, now).AddDays(1) : PeriodStart(period, now).AddMonths(1);
}
