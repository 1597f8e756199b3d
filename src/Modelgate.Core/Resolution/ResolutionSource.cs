namespace Modelgate.Core.Resolution;

/// <summary>Where a resolution came from.</summary>
public enum ResolutionSource
{
    /// <summary>The catalog database, as it is now.</summary>
    Database,

    /// <summary>The last snapshot written to the data folder, because the database cannot be reached.</summary>
    LastKnownGood,

    /// <summary>Environment variables, because the catalog has no usable default for the purpose.</summary>
    Environment,
}

/// <summary>Wire names of <see cref="ResolutionSource"/>.</summary>
public static class ResolutionSources
{
    public static string ToName(this ResolutionSource source) => source switch
    {
        ResolutionSource.Database => "database",
        ResolutionSource.LastKnownGood => "last-known-good",
        _ => "environment",
    };
}
