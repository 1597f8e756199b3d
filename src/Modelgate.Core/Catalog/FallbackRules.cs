namespace Modelgate.Core.Catalog;

/// <summary>Limits of a purpose's fallback chain, the same for the admin API and a configuration file.</summary>
public static class FallbackRules
{
    /// <summary>At most this many models after a purpose's default.</summary>
    public const int MaxPerPurpose = 5;
}
