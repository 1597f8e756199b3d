using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Server.Api;
using Modelgate.Server.Ui.Charts;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Ui.Pages.Usage;

/// <summary>Cost, requests, tokens and latency for a time range: a chart and its table for each.</summary>
internal sealed class UsageModel(UsageQuery usage, CurrentCatalog catalog, TimeProvider time) : ConsolePage
{
    public static readonly (string Value, string Label, TimeSpan Span)[] Ranges =
    [
        ("24h", "24 hours", TimeSpan.FromHours(24)),
        ("7d", "7 days", TimeSpan.FromDays(7)),
        ("30d", "30 days", TimeSpan.FromDays(30)),
        ("90d", "90 days", TimeSpan.FromDays(90)),
    ];

    public const int MaxDays = 366;

    [BindProperty(SupportsGet = true, Name = "range")] public string? Range { get; set; }
    [BindProperty(SupportsGet = true, Name = "from")] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public string? To { get; set; }

    public UsageReport? Report { get; private set; }

    /// <summary>The range's cost per team and key (for charge-back), most expensive first.</summary>
    public IReadOnlyList<(string? Team, string? KeyId, string Key, UsageTotals Totals)> ByTeamAndKey { get; private set; } = [];

    /// <summary>The CSV download of what the page shows, by day, key, team, model and purpose.</summary>
    public string CsvLink => Range == "custom"
        ? $"/usage?handler=csv&from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}"
        : $"/usage?handler=csv&range={Uri.EscapeDataString(Range ?? "")}";

    public string Described { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (ReadRange() is { } refused)
        {
            return refused;
        }

        var hourly = End - Start <= TimeSpan.FromHours(48);
        var (groups, error) = await usage.RunAsync(new UsageRequest(Start, End, [hourly ? UsageDimension.Hour : UsageDimension.Day, UsageDimension.Model]), HttpContext.RequestAborted);
        if (error is not null && hourly)
        {
            // Days whose hours are no longer kept: show them by day.
            hourly = false;
            (groups, error) = await usage.RunAsync(new UsageRequest(Start, End, [UsageDimension.Day, UsageDimension.Model]), HttpContext.RequestAborted);
        }

        if (error is not null)
        {
            return Refused(CatalogError.Invalid("from", error));
        }

        Report = new UsageReport(groups!, Start, End, hourly);
        var (byKey, _) = await usage.RunAsync(new UsageRequest(Start, End, [UsageDimension.Team, UsageDimension.Key]), HttpContext.RequestAborted);
        var names = catalog.State.Snapshot.VirtualKeys.Values.ToDictionary(k => k.Id.ToString(), k => k.Name);
        ByTeamAndKey = [.. (byKey ?? []).Select(g => (g.Keys["team"], g.Keys["key_id"], g.Keys["key_id"] is { } id ? names.GetValueOrDefault(id, id) : "(no key: console or client library)", g.Totals))
            .OrderByDescending(r => r.Totals.CostPicos).ThenByDescending(r => r.Totals.Requests)];
        return Page();
    }

    /// <summary>The range shown, as CSV rows by day, key, team, model and purpose (the API's <c>/usage/export</c>).</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        if (ReadRange() is { } refused)
        {
            return refused;
        }

        var request = new UsageRequest(Start, End, [UsageDimension.Day, UsageDimension.Key, UsageDimension.Team, UsageDimension.Model, UsageDimension.Purpose]);
        var (groups, _) = await usage.RunAsync(request, HttpContext.RequestAborted);
        return File(UsageCsv.Bytes(UsageRows.Report(request, groups ?? [], catalog)), "text/csv; charset=utf-8", $"usage-{From}-to-{To}.csv");
    }

    private DateTimeOffset Start { get; set; }

    private DateTimeOffset End { get; set; }

    // The range asked for (a preset, or days from and to); the refusal when it is not valid.
    private IActionResult? ReadRange()
    {
        var now = time.GetUtcNow();
        DateTimeOffset start, end;
        if (!string.IsNullOrEmpty(From) || !string.IsNullOrEmpty(To))
        {
            var (first, last) = (ReadDay(From), ReadDay(To));
            if (first is null || last is null)
            {
                return Refused(CatalogError.Invalid(first is null ? "from" : "to", "enter a date as YYYY-MM-DD"));
            }

            if (last < first || last.Value.DayNumber - first.Value.DayNumber + 1 > MaxDays || last.Value.Year > 9000)
            {
                return Refused(CatalogError.Invalid("to", $"the last day must be on or after the first, and the range at most {MaxDays} days (and before the year 9000)"));
            }

            (start, end) = (Midnight(first.Value), Midnight(last.Value.AddDays(1)));
            Range = "custom";
            Described = $"{first:yyyy-MM-dd} to {last:yyyy-MM-dd} (UTC)";
        }
        else
        {
            var preset = Ranges.FirstOrDefault(r => r.Value == Range);
            if (preset.Value is null)
            {
                preset = Ranges[1];
            }

            Range = preset.Value;
            (start, end) = (now - preset.Span, now);
            Described = $"the last {preset.Label}";
            (From, To) = (DateOnly.FromDateTime(start.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.FromDateTime(end.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        (Start, End) = (start, end);
        return null;
    }

    public BarChart CostChart => Report!.ByModel("cost-chart", $"Cost per {Period} by model", t => (double)t.CostUsd, v => Format.Usd((decimal)v));

    public BarChart RequestsChart => Report!.ByModel("requests-chart", $"Requests per {Period} by model", t => t.Requests, v => Format.Count((long)Math.Round(v)), counts: true);

    public BarChart TokensChart => new("tokens-chart", $"Tokens per {Period}", Report!.Periods,
    [
        new ChartSeries("Input", Palette.At(0), [.. Report.Periods.Select(p => Report.PeriodTotal(p, t => t.InputTokens - t.CachedInputTokens))]),
        new ChartSeries("Cached input", Palette.At(4), [.. Report.Periods.Select(p => Report.PeriodTotal(p, t => t.CachedInputTokens))]),
        new ChartSeries("Output", Palette.At(1), [.. Report.Periods.Select(p => Report.PeriodTotal(p, t => t.OutputTokens))]),
    ], stacked: true, v => Format.Count((long)Math.Round(v)), counts: true);

    public BarChart LatencyChart => new("latency-chart", "Latency percentiles by model", [.. Report!.PerModel.Select(m => m.Name)],
    [
        new ChartSeries("p50", Palette.At(2), [.. Report.PerModel.Select(m => m.Totals.Latency.Percentile(0.5) ?? 0)]),
        new ChartSeries("p95", Palette.At(1), [.. Report.PerModel.Select(m => m.Totals.Latency.Percentile(0.95) ?? 0)]),
        new ChartSeries("p99", Palette.At(5), [.. Report.PerModel.Select(m => m.Totals.Latency.Percentile(0.99) ?? 0)]),
    ], stacked: false, v => Format.Ms(v));

    public string Period => Report!.Hourly ? "hour" : "day";

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateOnly? ReadDay(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
