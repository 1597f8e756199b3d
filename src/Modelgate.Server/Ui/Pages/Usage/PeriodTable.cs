using Modelgate.Core.Usage;

namespace Modelgate.Server.Ui.Pages.Usage;

/// <summary>The table under a per-period chart: a row per period, a column per model, and the period's total.</summary>
internal sealed record PeriodTable(string Measure, UsageReport Report, Func<UsageTotals, double> Value, Func<double, string> Format);
