using Modelgate.Core.Usage;

namespace Modelgate.Core.Tests.Usage;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Encoded_DecodesToTheSameBuckets_AndMergingBlobsEqualsMergingHistograms()
    {
        var random = new Random(42);
        var (all, first, second) = (new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram());
        for (var i = 0; i < 5_000; i++)
        {
            var ms = Math.Exp(random.NextDouble() * 12);
            all.Add(ms);
            (i % 3 == 0 ? first : second).Add(ms);
        }

        var merged = LatencyHistogram.Decode(first.Encode());
        merged.MergeEncoded(second.Encode());

        Assert.Equal(all.ToString(), merged.ToString());
        Assert.Equal(all.Count, merged.Count);
        Assert.Equal(all.Percentile(0.99), merged.Percentile(0.99));
        Assert.Equal(all.Encode(), merged.Encode());
    }

    [Fact]
    public void Buckets_MatchAPlainArrayOfEveryBucket_WhateverOrderTheyGrowIn()
    {
        var random = new Random(7);
        var reference = new long[LatencyHistogram.Buckets];
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 20_000; i++)
        {
            // Values from below 1 ms to beyond the last bucket, in random order, so the array grows both ways.
            var ms = i % 97 == 0 ? random.Next(0, 2) : Math.Exp(random.NextDouble() * 15);
            histogram.Add(ms);
            reference[ms <= 1 ? 0 : (int)Math.Min(LatencyHistogram.Buckets - 1, Math.Ceiling(Math.Log(ms) / Math.Log(1.04)))]++;
        }

        var expected = string.Join(',', reference.Select((count, bucket) => (count, bucket)).Where(b => b.count > 0).Select(b => $"{b.bucket}:{b.count}"));
        Assert.Equal(expected, histogram.ToString());
        Assert.Equal(expected, LatencyHistogram.Decode(histogram.Encode()).ToString());
    }

    [Fact]
    public void Encoded_IsSparse_AFewBytesPerBucketInUse()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 1_000; i++)
        {
            histogram.Add(400 + (i % 200));
        }

        var buckets = histogram.ToString().Split(',').Length;
        Assert.InRange(buckets, 10, 20);
        Assert.True(histogram.Encode().Length <= 1 + (buckets * 4), $"{histogram.Encode().Length} bytes for {buckets} buckets");
        Assert.Empty(new LatencyHistogram().Encode());
        Assert.Equal(0, LatencyHistogram.Decode([]).Count);
    }

    [Fact]
    public void DurationsBeyondTenMinutes_ShareTheLastBucket_AndBelowOneMsTheFirst()
    {
        var histogram = new LatencyHistogram();
        histogram.Add(0.2);
        histogram.Add(20 * 60_000);
        histogram.Add(int.MaxValue);

        Assert.Equal($"0:1,{LatencyHistogram.Buckets - 1}:2", histogram.ToString());
        Assert.Equal(1, histogram.Percentile(0.1));
        Assert.InRange(histogram.Percentile(0.99)!.Value, 600_000, 660_000);
        Assert.Equal(2, histogram.CountAbove(300_000));
    }

    [Fact]
    public void TheOlderTextForm_IsReadIntoTheSameBuckets()
    {
        var histogram = new LatencyHistogram();
        foreach (var ms in new[] { 3.0, 50, 50, 700, 12_000 })
        {
            histogram.Add(ms);
        }

        var text = histogram.ToString();
        Assert.Equal(text, LatencyHistogram.Parse(text).ToString());
        Assert.Equal(histogram.Encode(), LatencyHistogram.Parse(text).Encode());
        Assert.Equal("341:4", LatencyHistogram.Parse("900:4,x:1,5:-1").ToString());
    }

    [Fact]
    public void ABlobThatIsNotAHistogram_IsRefused()
    {
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([9, 1, 1]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 0x80]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 0xFF, 0x7F, 1]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 1, 0]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 0, 1]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 0x80, 0x80, 0x80, 0x80, 0x10, 1]));
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode([1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]));
    }

    [Fact]
    public void Percentiles_AreWithinTwoPercent_WhateverTheOrderValuesCameIn()
    {
        var (up, down) = (new LatencyHistogram(), new LatencyHistogram());
        for (var i = 1; i <= 1000; i++)
        {
            up.Add(i);
            down.Add(1001 - i);
        }

        Assert.Equal(up.ToString(), down.ToString());
        Assert.InRange(up.Percentile(0.5)!.Value, 490, 510);
        Assert.InRange(up.Percentile(0.95)!.Value, 931, 969);
    }
}
