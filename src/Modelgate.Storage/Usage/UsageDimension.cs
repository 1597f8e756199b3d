namespace Modelgate.Storage.Usage;

/// <summary>What usage can be grouped by.</summary>
public enum UsageDimension
{
    Model,
    Provider,
    Purpose,
    Key,

    /// <summary>The key's application or team label (as the key has it now).</summary>
    Team,
    Variant,
    Operation,
    Source,

    /// <summary>The exact HTTP status the call ended with.</summary>
    Status,
    Day,
    Hour,
}
