namespace Modelgate.Server.Experiments;

/// <summary>One feedback metric of one variant: how many values, and their mean (a boolean counts as 1 or 0).</summary>
public sealed record FeedbackResult(long Count, double Mean);
