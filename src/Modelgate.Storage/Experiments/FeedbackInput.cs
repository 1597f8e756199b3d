namespace Modelgate.Storage.Experiments;

/// <summary>
/// A quality signal about one call, as an application sends it: the call named by its request id (its
/// <c>x-modelgate-request-id</c>) or by its session (then the session's latest call), a metric name and a value
/// (a boolean is sent as 1 or 0).
/// </summary>
public sealed record FeedbackInput(Guid? RequestId, string? SessionId, string? Metric, double Value);
