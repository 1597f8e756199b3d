using Modelgate.Core.Usage;

namespace Modelgate.Core.Limits;

/// <summary>
/// Spend in budget counters: whole nano-USD (10⁻⁹), so counters are integers that Redis's Lua (doubles) holds exactly up
/// to 9 million USD. Reservations round up, so a budget is never taken past by rounding.
/// </summary>
public static class BudgetUnits
{
    private const decimal PerDollar = 1_000_000_000m;

    public static long FromUsd(decimal usd) => (long)Math.Min(decimal.Ceiling(Math.Max(0, usd) * PerDollar), long.MaxValue / 2);

    public static long FromPicos(decimal picos) => FromUsd(Cost.FromPicos(picos));

    public static decimal ToUsd(long units) => units / PerDollar;
}
