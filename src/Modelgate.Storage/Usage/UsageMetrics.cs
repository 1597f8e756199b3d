using System.Diagnostics.Metrics;

namespace Modelgate.Storage.Usage;

/// <summary>The writer's own health, as OpenTelemetry metrics (meter <c>Modelgate.Usage</c>).</summary>
public sealed class UsageMetrics : IDisposable
{
    public const string MeterName = "Modelgate.Usage";
    private readonly Meter _meter;
    private long _dropped;
    private long _spilled;
    private long _written;

    public UsageMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("modelgate.usage.written", () => Interlocked.Read(ref _written), "{record}", "Usage records written to the database.");
        _meter.CreateObservableCounter("modelgate.usage.dropped", () => Interlocked.Read(ref _dropped), "{record}", "Usage records dropped because the writer's queue was full.");
        _meter.CreateObservableCounter("modelgate.usage.spilled", () => Interlocked.Read(ref _spilled), "{record}", "Usage records written to the spill file because the database could not take them.");
    }

    public long Dropped => Interlocked.Read(ref _dropped);
    public long Spilled => Interlocked.Read(ref _spilled);
    public long Written => Interlocked.Read(ref _written);

    internal void OnDropped() => Interlocked.Increment(ref _dropped);
    internal void OnSpilled(int count) => Interlocked.Add(ref _spilled, count);
    internal void OnWritten(int count) => Interlocked.Add(ref _written, count);

    public void Dispose() => _meter.Dispose();
}
