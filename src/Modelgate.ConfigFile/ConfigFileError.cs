namespace Modelgate.ConfigFile;

/// <summary>What is wrong with a configuration file, and where: the file, the line and column, and the field's path.</summary>
public sealed record ConfigFileError(string File, int Line, int Column, string Path, string Message)
{
    /// <summary><c>file:line:column: path: message</c>, as compilers and editors read it.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {(Path.Length > 0 ? Path + ": " : "")}{Message}";
}
