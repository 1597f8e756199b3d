namespace Modelgate.Core.Resolution;

/// <summary>One purpose's outcome: a resolution, or the message of the error it raises.</summary>
public sealed record ResolutionEntry(ResolvedModel? Model, string? Error);
