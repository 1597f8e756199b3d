namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>feedback</c>: one quality signal (a metric and its value) about one call, with the call's experiment,
/// variant and key copied from its usage record so results are summed without a join. One row per call and metric: a
/// second signal for the same call and metric replaces the first.
/// </summary>
public sealed class FeedbackEntity
{
    public Guid Id { get; set; }

    /// <summary>The call's request id (its usage record), whether the feedback named it or its session.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>The call's session, as stored of it (<see cref="Core.Experiments.SessionHash"/>), when it had one.</summary>
    public long? SessionHash { get; set; }
    public Guid? ExperimentId { get; set; }
    public string? Variant { get; set; }
    public required string Metric { get; set; }
    public double Value { get; set; }
    public Guid? KeyId { get; set; }
    public DateTime CreatedAt { get; set; }
}
