namespace Modelgate.Core.Limits;

/// <summary>What an instance does with a call a limit applies to while the fleet's shared counters are out of reach.</summary>
public enum SharedCountersPolicy
{
    /// <summary>Counts in this process, each instance taking its share of each limit (the limit ÷ the live instances); a budget against the database's figure.</summary>
    Local,

    /// <summary>Admits the call uncounted.</summary>
    Allow,

    /// <summary>Refuses the call (503): nothing a limit applies to is sent until the counters are back.</summary>
    Reject,
}
