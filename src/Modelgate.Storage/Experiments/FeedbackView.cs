namespace Modelgate.Storage.Experiments;

/// <summary>
/// Feedback as stored: the call it is about (<see cref="RequestId"/>), the experiment and variant that served it (null
/// when none did), the metric and its value. <see cref="Replaced"/>: the call already had a value for the metric, and
/// this one took its place.
/// </summary>
public sealed record FeedbackView(Guid Id, Guid RequestId, Guid? ExperimentId, string? Variant, string Metric, double Value, DateTime CreatedAt, bool Replaced);
