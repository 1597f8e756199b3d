namespace Modelgate.Core.Catalog;

/// <summary>Limits of an alias's fields, the same for the admin API and a configuration file.</summary>
public static class AliasRules
{
    /// <summary>The longest description an alias may have.</summary>
    public const int MaxDescriptionLength = 500;
}
