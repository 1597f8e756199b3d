using System.Globalization;
using System.Text;

namespace Modelgate.Core.Usage;

/// <summary>
/// Durations in logarithmic buckets (each 4 % wider than the last), so percentiles are within 2 % of the true value
/// whatever the range, and histograms of different hours or days merge by adding counts. Kept sparse: a few dozen
/// buckets in practice, stored as text in usage rollups.
/// </summary>
public sealed class LatencyHistogram
{
    private const double Gamma = 1.04;
    private static readonly double LogGamma = Math.Log(Gamma);
    // A hash map, sorted only when read in order: adding is the hot path (once per call summed).
    private readonly Dictionary<int, long> _buckets = [];

    public long Count { get; private set; }

    /// <summary>Adds one duration in milliseconds (below 1 ms counts as 1 ms; negative is ignored).</summary>
    public void Add(double milliseconds)
    {
        if (milliseconds < 0 || double.IsNaN(milliseconds))
        {
            return;
        }

        Add(Bucket(milliseconds), 1);
    }

    public void Merge(LatencyHistogram other)
    {
        foreach (var (bucket, count) in other._buckets)
        {
            Add(bucket, count);
        }
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), or null when empty.</summary>
    public double? Percentile(double q)
    {
        if (Count == 0)
        {
            return null;
        }

        // The nearest-rank method: the smallest value with at least q of all values at or below it.
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        foreach (var (bucket, count) in InOrder())
        {
            seen += count;
            if (seen >= rank)
            {
                return Value(bucket);
            }
        }

        return Value(_buckets.Keys.Max());
    }

    /// <summary>
    /// How many durations are above <paramref name="milliseconds"/>, to the histogram's resolution: the buckets wholly
    /// above the one the value falls in (so within 4 % of the exact count's threshold).
    /// </summary>
    public long CountAbove(double milliseconds)
    {
        var edge = Bucket(Math.Max(milliseconds, 0));
        long above = 0;
        foreach (var (bucket, count) in _buckets)
        {
            above += bucket > edge ? count : 0;
        }

        return above;
    }

    /// <summary>As stored: <c>bucket:count</c> pairs separated by commas.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (bucket, count) in InOrder())
        {
            text.Append(text.Length == 0 ? "" : ",").Append(bucket.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Reads what <see cref="ToString"/> wrote; unreadable parts are skipped.</summary>
    public static LatencyHistogram Parse(string? text)
    {
        var histogram = new LatencyHistogram();
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':');
            if (colon > 0
                && int.TryParse(pair.AsSpan(0, colon), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bucket)
                && long.TryParse(pair.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                histogram.Add(bucket, count);
            }
        }

        return histogram;
    }

    private void Add(int bucket, long count)
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_buckets, bucket, out _) += count;
        Count += count;
    }

    private IEnumerable<KeyValuePair<int, long>> InOrder() => _buckets.OrderBy(b => b.Key);

    // Bucket i holds (γ^(i-1), γ^i]; values up to 1 ms are bucket 0.
    private static int Bucket(double milliseconds) => milliseconds <= 1 ? 0 : (int)Math.Ceiling(Math.Log(milliseconds) / LogGamma);

    // The value with the same relative distance to both edges of the bucket.
    private static double Value(int bucket) => bucket == 0 ? 1 : 2 * Math.Pow(Gamma, bucket) / (Gamma + 1);
}
