namespace Modelgate.Storage.Usage;

/// <summary>Where a piece of a usage range is read from.</summary>
internal enum UsageGrain
{
    /// <summary><c>usage_daily</c>, days [From, To).</summary>
    Days,

    /// <summary><c>usage_hourly</c>, hours [From, To).</summary>
    Hours,

    /// <summary><c>usage_records</c>, Unix milliseconds [From, To).</summary>
    Raw,
}

/// <summary>A piece of a usage range and where it is read from; From and To in the source's unit.</summary>
internal readonly record struct UsageSegment(UsageGrain Source, long From, long To);
