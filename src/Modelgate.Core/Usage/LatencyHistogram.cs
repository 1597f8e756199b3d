using System.Globalization;
using System.Text;

namespace Modelgate.Core.Usage;

/// <summary>
/// Durations in fixed logarithmic buckets (each 4 % wider than the last), so percentiles are within 2 % of the true
/// value whatever the range, and histograms of different hours or days merge exactly by adding counts. Bucket 0 holds
/// up to 1 ms, bucket i holds (1.04^(i-1), 1.04^i] ms, and the last (<see cref="Buckets"/> − 1) everything above
/// ten minutes. In memory the counts are one array covering the buckets in use (offset by the lowest); stored, a
/// sparse varint blob of the buckets that are not empty (<see cref="Encode"/>), a few dozen bytes in practice.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Buckets in all: up to 1 ms, 340 of 4 % up to ten minutes (1.04^340 ms ≈ 10.3 min), and above.</summary>
    public const int Buckets = 342;

    private const double Gamma = 1.04;
    private const byte Version = 1;
    private static readonly double LogGamma = Math.Log(Gamma);

    // Counts of buckets _offset .. _offset + _counts.Length - 1; empty until the first value.
    private long[] _counts = [];
    private int _offset;

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
        for (var i = 0; i < other._counts.Length; i++)
        {
            if (other._counts[i] > 0)
            {
                Add(other._offset + i, other._counts[i]);
            }
        }
    }

    /// <summary>Adds a histogram stored by <see cref="Encode"/> (an empty blob adds nothing; an unreadable one is refused).</summary>
    public void MergeEncoded(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty)
        {
            return;
        }

        if (stored[0] != Version)
        {
            throw new FormatException($"latency histogram blob of version {stored[0]}; this version reads {Version}");
        }

        var position = 1;
        var bucket = -1;
        while (position < stored.Length)
        {
            var step = ReadVarint(stored, ref position);
            var count = ReadVarint(stored, ref position);
            if (step == 0 || step > Buckets || bucket + (int)step >= Buckets || count == 0 || count > long.MaxValue)
            {
                throw new FormatException("latency histogram blob out of range");
            }

            bucket += (int)step;
            Add(bucket, (long)count);
        }
    }

    /// <summary>
    /// The stored form: a version byte, then for each bucket that is not empty, in order, the distance from the last
    /// one and its count as unsigned LEB128 varints. Empty when there is nothing.
    /// </summary>
    public byte[] Encode()
    {
        if (Count == 0)
        {
            return [];
        }

        Span<byte> buffer = stackalloc byte[1 + (Buckets * 12)];
        buffer[0] = Version;
        var length = 1;
        var last = -1;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                WriteVarint(buffer, ref length, (ulong)(_offset + i - last));
                WriteVarint(buffer, ref length, (ulong)_counts[i]);
                last = _offset + i;
            }
        }

        return buffer[..length].ToArray();
    }

    /// <summary>Two stored histograms merged, stored (as a database function merges them).</summary>
    public static byte[] MergeEncoded(byte[] first, byte[] second)
    {
        if (first.Length == 0 || second.Length == 0)
        {
            return first.Length == 0 ? second : first;
        }

        var merged = Decode(first);
        merged.MergeEncoded(second);
        return merged.Encode();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote.</summary>
    public static LatencyHistogram Decode(ReadOnlySpan<byte> stored)
    {
        var histogram = new LatencyHistogram();
        histogram.MergeEncoded(stored);
        return histogram;
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
        var highest = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0)
            {
                continue;
            }

            seen += _counts[i];
            highest = _offset + i;
            if (seen >= rank)
            {
                return Value(highest);
            }
        }

        return Value(highest);
    }

    /// <summary>
    /// How many durations are above <paramref name="milliseconds"/>, to the histogram's resolution: the buckets wholly
    /// above the one the value falls in (so within 4 % of the exact count's threshold).
    /// </summary>
    public long CountAbove(double milliseconds)
    {
        var edge = Bucket(Math.Max(milliseconds, 0));
        long above = 0;
        for (var i = Math.Max(0, edge + 1 - _offset); i < _counts.Length; i++)
        {
            above += _counts[i];
        }

        return above;
    }

    /// <summary>The older stored form (usage rollups before version 18): <c>bucket:count</c> pairs separated by commas.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                text.Append(text.Length == 0 ? "" : ",").Append((_offset + i).ToString(CultureInfo.InvariantCulture)).Append(':')
                    .Append(_counts[i].ToString(CultureInfo.InvariantCulture));
            }
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
                && int.TryParse(pair.AsSpan(0, colon), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bucket) && bucket >= 0
                && long.TryParse(pair.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                histogram.Add(Math.Min(bucket, Buckets - 1), count);
            }
        }

        return histogram;
    }

    private void Add(int bucket, long count)
    {
        if (_counts.Length == 0)
        {
            _counts = new long[4];
            _offset = Math.Min(bucket, Buckets - 4);
        }
        else if (bucket < _offset || bucket >= _offset + _counts.Length)
        {
            Grow(bucket);
        }

        _counts[bucket - _offset] += count;
        Count += count;
    }

    // Widens the array to cover the bucket, at least doubling it so adding stays amortized constant; never past the last bucket.
    private void Grow(int bucket)
    {
        var low = Math.Min(_offset, bucket);
        var high = Math.Max(_offset + _counts.Length, bucket + 1);
        var length = Math.Min(Buckets, Math.Max(high - low, _counts.Length * 2));
        // Room to spare goes the way the histogram grew.
        var start = Math.Clamp(bucket < _offset ? high - length : low, 0, Buckets - length);
        var counts = new long[length];
        Array.Copy(_counts, 0, counts, _offset - start, _counts.Length);
        _counts = counts;
        _offset = start;
    }

    // Bucket i holds (γ^(i-1), γ^i]; values up to 1 ms are bucket 0, above the last edge the last bucket.
    private static int Bucket(double milliseconds) =>
        milliseconds <= 1 ? 0 : (int)Math.Min(Buckets - 1, Math.Ceiling(Math.Log(milliseconds) / LogGamma));

    // The value with the same relative distance to both edges of the bucket.
    private static double Value(int bucket) => bucket == 0 ? 1 : 2 * Math.Pow(Gamma, bucket) / (Gamma + 1);

    private static void WriteVarint(Span<byte> buffer, ref int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> buffer, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= buffer.Length)
            {
                throw new FormatException("latency histogram blob cut short");
            }

            var b = buffer[position++];
            if (shift == 63 && b > 1)
            {
                throw new FormatException("latency histogram blob has a varint beyond 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("latency histogram blob has a varint too long");
    }
}
