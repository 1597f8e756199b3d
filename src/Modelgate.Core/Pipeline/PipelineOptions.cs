namespace Modelgate.Core.Pipeline;

/// <summary>
/// The time bounds of the request pipeline, the same for gateway calls and direct-mode calls (the server reads them
/// from <c>MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS</c>, <c>MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS</c> and
/// <c>MODELGATE_GATEWAY_STREAM_IDLE_SECONDS</c>; the client library from its options).
/// </summary>
/// <param name="FirstByteTimeout">How long one attempt at one model may take to produce its first byte (a whole answer, or a stream's first update).</param>
/// <param name="RequestTimeout">How long a call may take to get its first byte across every retry and fallback.</param>
/// <param name="StreamIdleTimeout">How long a provider may stay silent in a stream once it has started answering.</param>
public sealed record PipelineOptions(TimeSpan FirstByteTimeout, TimeSpan RequestTimeout, TimeSpan StreamIdleTimeout)
{
    /// <summary>120 s an attempt, 300 s a call, 120 s of silence in a stream.</summary>
    public static PipelineOptions Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(120));

    /// <summary>The options, if every bound is between 10 ms and a day (what a timer and Polly accept).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is outside that range.</exception>
    public static PipelineOptions Checked(TimeSpan firstByteTimeout, TimeSpan requestTimeout, TimeSpan streamIdleTimeout) =>
        new(Bounded(firstByteTimeout, nameof(FirstByteTimeout)), Bounded(requestTimeout, nameof(RequestTimeout)), Bounded(streamIdleTimeout, nameof(StreamIdleTimeout)));

    private static TimeSpan Bounded(TimeSpan value, string name) =>
        value >= TimeSpan.FromMilliseconds(10) && value <= TimeSpan.FromDays(1) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 10 ms and 24 h.");
}
