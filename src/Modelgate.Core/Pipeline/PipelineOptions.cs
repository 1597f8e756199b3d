namespace Modelgate.Core.Pipeline;

/// <summary>
/// The time bounds of the request pipeline, the same for gateway calls and direct-mode calls (the server reads them
/// from <c>MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS</c> and <c>MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS</c>; the
/// client library from its options).
/// </summary>
/// <param name="FirstByteTimeout">How long one attempt at one model may take to produce its first byte (a whole answer, or a stream's first update).</param>
/// <param name="RequestTimeout">How long a call may take to get its first byte across every retry and fallback.</param>
public sealed record PipelineOptions(TimeSpan FirstByteTimeout, TimeSpan RequestTimeout)
{
    /// <summary>120 s an attempt, 300 s a call.</summary>
    public static PipelineOptions Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300));
}
