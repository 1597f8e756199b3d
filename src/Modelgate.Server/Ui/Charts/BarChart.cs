namespace Modelgate.Server.Ui.Charts;

/// <summary>One series of a bar chart: a name, its colour, and a value per category.</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> Values);

/// <summary>
/// A bar chart drawn on the server as SVG (no script): categories along the x axis, series stacked or side by
/// side. The page shows the same numbers in a table below it, which is what screen readers use.
/// </summary>
internal sealed class BarChart
{
    public const double Width = 900, Height = 260, Left = 64, Right = 12, Top = 12, Bottom = 36;

    public BarChart(string id, string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, bool stacked, Func<double, string> format, bool counts = false)
    {
        (Id, Title, Categories, Series, Stacked, FormatValue) = (id, title, categories, series, stacked, format);
        var top = categories.Count == 0 ? 0 : Enumerable.Range(0, categories.Count)
            .Max(i => stacked ? series.Sum(s => s.Values[i]) : series.Select(s => s.Values[i]).DefaultIfEmpty(0).Max());
        Max = top <= 0 ? 0 : TickCount * NiceStep(top / TickCount, counts);
    }

    /// <summary>Gridlines above the axis.</summary>
    public const int TickCount = 4;

    public string Id { get; }
    public string Title { get; }
    public IReadOnlyList<string> Categories { get; }
    public IReadOnlyList<ChartSeries> Series { get; }
    public bool Stacked { get; }
    public Func<double, string> FormatValue { get; }

    /// <summary>The top of the y axis: four steps of 1, 2, 2.5 or 5 times a power of ten (whole steps for counts).</summary>
    public double Max { get; }

    public bool IsEmpty => Categories.Count == 0 || Max <= 0;

    public double PlotWidth => Width - Left - Right;
    public double PlotHeight => Height - Top - Bottom;

    public IEnumerable<(double Y, string Label)> Ticks =>
        Enumerable.Range(0, TickCount + 1).Select(i => (Top + PlotHeight - PlotHeight * i / TickCount, FormatValue(Max * i / TickCount)));

    /// <summary>Every bar as a rectangle with its tooltip.</summary>
    public IEnumerable<(double X, double Y, double W, double H, string Color, string Tip)> Bars()
    {
        var slot = PlotWidth / Categories.Count;
        var barWidth = Stacked ? slot * 0.7 : slot * 0.8 / Math.Max(1, Series.Count);
        for (var i = 0; i < Categories.Count; i++)
        {
            var x = Left + slot * i + (Stacked ? slot * 0.15 : slot * 0.1);
            var baseline = 0.0;
            for (var s = 0; s < Series.Count; s++)
            {
                var value = Series[s].Values[i];
                var h = Max <= 0 ? 0 : PlotHeight * value / Max;
                var y = Top + PlotHeight - (Stacked ? baseline : 0) - h;
                if (value > 0)
                {
                    yield return (Stacked ? x : x + barWidth * s, y, barWidth, h, Series[s].Color, $"{Series[s].Name}, {Categories[i]}: {FormatValue(value)}");
                }

                baseline += Stacked ? h : 0;
            }
        }
    }

    /// <summary>Category labels under the axis; with many categories only every n-th is written.</summary>
    public IEnumerable<(double X, string Label)> Labels()
    {
        var slot = PlotWidth / Math.Max(1, Categories.Count);
        var every = Math.Max(1, (int)Math.Ceiling(Categories.Count / 12.0));
        for (var i = 0; i < Categories.Count; i += every)
        {
            yield return (Left + slot * (i + 0.5), Categories[i]);
        }
    }

    private static double NiceStep(double value, bool counts)
    {
        if (counts && value <= 1)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        double[] factors = counts && power < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
        return factors.Select(f => f * power).First(v => v >= value * (1 - 1e-9));
    }
}
