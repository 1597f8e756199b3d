namespace Modelgate.Core.Usage;

/// <summary>
/// Takes usage records without waiting: the request path hands a record over and goes on; storing it is someone
/// else's work (a background writer).
/// </summary>
public interface IUsageRecorder
{
    void Record(UsageRecord record);
}

/// <summary>Records nothing (usage recording switched off).</summary>
public sealed class NoUsageRecorder : IUsageRecorder
{
    public static readonly NoUsageRecorder Instance = new();

    public void Record(UsageRecord record)
    {
    }
}
