namespace Modelgate.ConfigFile;

/// <summary>Requests and tokens per minute; the limits named in <see cref="Shadow"/> are counted, not enforced.</summary>
public sealed record ConfigLimits(int? RequestsPerMinute = null, long? TokensPerMinute = null, IReadOnlyList<string>? Shadow = null);
