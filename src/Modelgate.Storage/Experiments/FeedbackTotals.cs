namespace Modelgate.Storage.Experiments;

/// <summary>One feedback metric of one variant: how many values, their sum and the sum of their squares (mean and variance follow).</summary>
public sealed record FeedbackTotals(long Count, double Sum, double SumOfSquares);
