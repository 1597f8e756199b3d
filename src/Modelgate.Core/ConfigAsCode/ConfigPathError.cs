namespace Modelgate.Core.ConfigAsCode;

/// <summary>What is wrong with a value of the file, by its path in the document (<c>models[2].parameters.temperature</c>).</summary>
public sealed record ConfigPathError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
