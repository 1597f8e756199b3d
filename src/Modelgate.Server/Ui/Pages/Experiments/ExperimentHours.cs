using System.Globalization;
using Modelgate.Server.Experiments;
using Modelgate.Server.Ui.Charts;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>
/// The variants' hourly figures for charts: the last <see cref="Shown"/> hours up to the latest hour with calls, every
/// hour present even without calls, one series per variant in the variants' order and colours.
/// </summary>
internal sealed class ExperimentHours
{
    public const int Shown = 48;

    public ExperimentHours(IReadOnlyList<VariantResult> variants)
    {
        Variants = variants;
        var all = variants.SelectMany(v => v.Hours).Select(h => h.Hour).ToList();
        if (all.Count == 0)
        {
            return;
        }

        var last = all.Max();
        var first = all.Min() > last.AddHours(1 - Shown) ? all.Min() : last.AddHours(1 - Shown);
        for (var hour = first; hour <= last; hour = hour.AddHours(1))
        {
            Hours.Add(hour);
        }
    }

    public IReadOnlyList<VariantResult> Variants { get; }

    public List<DateTimeOffset> Hours { get; } = [];

    public IReadOnlyList<string> Labels => [.. Hours.Select(Label)];

    public static string Label(DateTimeOffset hour) => hour.UtcDateTime.ToString("MM-dd HH:00", CultureInfo.InvariantCulture);

    /// <summary>One variant's figure for an hour (null: no calls that hour).</summary>
    public double? Value(VariantResult variant, DateTimeOffset hour, Func<Storage.Experiments.VariantHour, double?> measure) =>
        variant.Hours.FirstOrDefault(h => h.Hour == hour) is { } found ? measure(found) : null;

    public BarChart Chart(string id, string title, Func<Storage.Experiments.VariantHour, double?> measure, Func<double, string> format, bool counts = false) =>
        new(id, title, Labels,
            [.. Variants.Select((v, i) => new ChartSeries(v.Name, Palette.At(i), [.. Hours.Select(h => Value(v, h, measure) ?? 0)]))],
            stacked: false, format, counts);

    public BarChart Calls => Chart("calls-chart", "Calls per hour by variant", h => h.Calls, v => Format.Count((long)Math.Round(v)), counts: true);

    public BarChart ErrorRate => Chart("errors-chart", "Error rate per hour by variant", h => h.Calls == 0 ? null : (double)h.Errors / h.Calls, v => Format.Percent(v));

    public BarChart LatencyP95 => Chart("latency-chart", "p95 latency per hour by variant", h => h.LatencyP95Ms, v => Format.Ms(v));
}
