namespace Modelgate.Core.Limits;

/// <summary>What a call reserved in a counter and what it turned out to use (tokens, or nano-USD of spend).</summary>
public readonly record struct LimitSettlement(LimitBucket Bucket, long Reserved, long Actual);
