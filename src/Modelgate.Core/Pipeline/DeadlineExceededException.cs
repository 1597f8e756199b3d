namespace Modelgate.Core.Pipeline;

/// <summary>
/// No model of the chain produced a first byte within the call's deadline (<see cref="PipelineOptions.RequestTimeout"/>),
/// retries and fallbacks included (<see cref="FallbackChain"/>).
/// </summary>
public sealed class DeadlineExceededException(TimeSpan deadline, Exception inner)
    : TimeoutException($"No model answered within the request timeout of {deadline.TotalSeconds:0.#} s (retries and fallbacks included).", inner)
{
    /// <summary>The deadline that passed.</summary>
    public TimeSpan Deadline { get; } = deadline;
}
