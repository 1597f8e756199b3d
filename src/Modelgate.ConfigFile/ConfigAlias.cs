namespace Modelgate.ConfigFile;

/// <summary>An alias's target (<c>provider/model_id</c>), description, and whether it is a deprecation redirect.</summary>
public sealed record ConfigAlias(string? Model = null, string? Description = null, bool Deprecated = false);
