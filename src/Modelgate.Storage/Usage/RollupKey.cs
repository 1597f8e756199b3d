namespace Modelgate.Storage.Usage;

/// <summary>
/// What a rollup row is the sum of: at a <see cref="RollupLevel"/>, a series' calls with one status code in one hour
/// or day (the grain's unit).
/// </summary>
internal readonly record struct RollupKey(int Level, int Unit, int SeriesId, int Status) : IComparable<RollupKey>
{
    // Writers take rows' locks in this order, so two instances adding to the same rows never deadlock.
    public int CompareTo(RollupKey other) =>
        Level != other.Level ? Level.CompareTo(other.Level)
        : Unit != other.Unit ? Unit.CompareTo(other.Unit)
        : SeriesId != other.SeriesId ? SeriesId.CompareTo(other.SeriesId)
        : Status.CompareTo(other.Status);
}
