namespace Modelgate.Storage.Entities;

/// <summary>
/// What an hourly or daily usage rollup row sums: the calls of one series with one status code in one hour or day,
/// written by the usage writer in the same transaction as the calls' raw rows (see UsageRollups). Histograms are
/// the sparse blobs of <see cref="Core.Usage.LatencyHistogram.Encode"/>; cost in whole picodollars, exact.
/// </summary>
public abstract class UsageRollupColumns
{
    /// <summary>
    /// What <see cref="SeriesId"/> names (see Usage.RollupLevel): 0 the call's own series; 1 its model (a series with only
    /// provider and model); 2 its key (a series with only the key). Views that group by no more than a model or a key
    /// read a few rows per hour instead of one per series.
    /// </summary>
    public int Level { get; set; }

    public int SeriesId { get; set; }

    /// <summary>The calls' HTTP status; 0 for days rolled up before rollups kept it (their errors are still counted).</summary>
    public int Status { get; set; }
    public long Requests { get; set; }
    public long Errors { get; set; }
    public long Streamed { get; set; }
    public long Estimated { get; set; }
    public long Unpriced { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CachedTokens { get; set; }
    public long CostPicos { get; set; }
    public long LatencyMsSum { get; set; }
    public byte[] LatencyHist { get; set; } = [];
    public byte[] TtftHist { get; set; } = [];
}
