namespace Modelgate.Server.Experiments;

/// <summary>The split variants' configured shares against the calls they got, and whether that is a mismatch at the experiment's alpha.</summary>
public sealed record SampleRatio(bool Mismatch, double PValue, IReadOnlyList<double> ExpectedShares, IReadOnlyList<long> Observed);
