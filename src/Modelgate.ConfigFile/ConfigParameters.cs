namespace Modelgate.ConfigFile;

/// <summary>A model's default parameters (a caller's own values win).</summary>
public sealed record ConfigParameters(double? Temperature = null, double? TopP = null, int? MaxTokens = null);
