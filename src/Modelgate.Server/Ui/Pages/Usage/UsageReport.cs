using System.Globalization;
using Modelgate.Core.Usage;
using Modelgate.Server.Ui.Charts;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Ui.Pages.Usage;

/// <summary>
/// Usage of a time range shaped for the console: per period (hour or day) and model, the models with the most
/// traffic named and the rest summed as "other models", every period present even when it had no calls. Models
/// are told apart by id (as the models list's scorecards are); two models of the same name are labelled with their
/// providers.
/// </summary>
internal sealed class UsageReport
{
    public const int NamedModels = 7;

    public UsageReport(IReadOnlyList<UsageGroup> groups, DateTimeOffset from, DateTimeOffset to, bool hourly)
    {
        Hourly = hourly;
        var periodKey = hourly ? "hour" : "day";
        Periods = [.. PeriodsBetween(from, to, hourly)];
        var labels = Labels(groups);
        var byModel = groups.GroupBy(g => labels[ModelKey(g)]).Select(g =>
        {
            var totals = new UsageTotals();
            foreach (var group in g)
            {
                totals.Merge(group.Totals);
                Total.Merge(group.Totals);
            }

            return (Name: g.Key, Totals: totals);
        }).OrderByDescending(m => m.Totals.CostPicos).ThenByDescending(m => m.Totals.Requests).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();

        Models = [.. byModel.Take(NamedModels).Select(m => m.Name)];
        if (byModel.Count > NamedModels)
        {
            Models.Add(OtherModels);
        }

        PerModel = byModel.Select(m => (m.Name, m.Totals)).ToList();
        var cell = new Dictionary<(string Period, string Model), UsageTotals>();
        foreach (var group in groups)
        {
            var key = (Period(group.Keys[periodKey]), Series(labels[ModelKey(group)]));
            if (!cell.TryGetValue(key, out var totals))
            {
                cell[key] = totals = new UsageTotals();
            }

            totals.Merge(group.Totals);
        }

        Cells = cell;
    }

    public const string OtherModels = "other models";

    public bool Hourly { get; }

    /// <summary>Period labels in order: "2026-11-25" by day, "11-25 14:00" by hour.</summary>
    public IReadOnlyList<string> Periods { get; }

    /// <summary>The series shown: the named models, then "other models" when there are more.</summary>
    public List<string> Models { get; }

    public IReadOnlyList<(string Name, UsageTotals Totals)> PerModel { get; }

    public UsageTotals Total { get; } = new();

    public IReadOnlyDictionary<(string Period, string Model), UsageTotals> Cells { get; }

    public double Value(string period, string model, Func<UsageTotals, double> measure) =>
        Cells.TryGetValue((period, model), out var totals) ? measure(totals) : 0;

    public double PeriodTotal(string period, Func<UsageTotals, double> measure) => Models.Sum(m => Value(period, m, measure));

    /// <summary>A stacked chart of one measure per period, one series per model.</summary>
    public BarChart ByModel(string id, string title, Func<UsageTotals, double> measure, Func<double, string> format, bool counts = false) =>
        new(id, title, Periods, [.. Models.Select((m, i) => new ChartSeries(m, m == OtherModels ? Palette.Other : Palette.At(i), [.. Periods.Select(p => Value(p, m, measure))]))],
            stacked: true, format, counts);

    private string Series(string model) => Models.Contains(model) ? model : OtherModels;

    private static string ModelKey(UsageGroup g) => g.Keys.GetValueOrDefault("model_id") ?? "name:" + ModelName(g);

    private static string ModelName(UsageGroup g) => g.Keys.GetValueOrDefault("model") ?? "(unknown)";

    // A model's label is its name; "name (provider)" when another model in the range has the same name; and with
    // the start of its id too when even that is shared (a model deleted and created again under the same name).
    private static Dictionary<string, string> Labels(IReadOnlyList<UsageGroup> groups)
    {
        var models = groups.GroupBy(ModelKey).Select(g => (Key: g.Key, Name: ModelName(g.First()), Provider: g.First().Keys.GetValueOrDefault("provider"))).ToList();
        var labels = Disambiguate(models.ToDictionary(m => m.Key, m => m.Name, StringComparer.Ordinal), m => $"{m.Value} ({models.First(x => x.Key == m.Key).Provider ?? "?"})");
        return Disambiguate(labels, m => $"{m.Value} #{m.Key.Replace("name:", "", StringComparison.Ordinal)[..Math.Min(8, m.Key.Length)]}");
    }

    private static Dictionary<string, string> Disambiguate(Dictionary<string, string> labels, Func<KeyValuePair<string, string>, string> longer)
    {
        var shared = labels.Values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return labels.ToDictionary(m => m.Key, m => shared.Contains(m.Value) ? longer(m) : m.Value, StringComparer.Ordinal);
    }

    private string Period(string? key) => Hourly
        ? DateTimeOffset.Parse(key!, CultureInfo.InvariantCulture).ToString("MM-dd HH:00", CultureInfo.InvariantCulture)
        : key!;

    private static IEnumerable<string> PeriodsBetween(DateTimeOffset from, DateTimeOffset to, bool hourly)
    {
        var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var start = hourly
            ? new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero)
            : new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
        for (var at = start; at < to; at += step)
        {
            yield return at.ToString(hourly ? "MM-dd HH:00" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }
}
