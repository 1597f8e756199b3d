namespace Modelgate.ConfigFile;

/// <summary>
/// A configuration read from a file or a folder: the document, the name and SHA-256 of what was read (an apply's audit
/// entry names them), and where each value came from, so an error found later (by the server's validators, say) can
/// still name its file, line and column.
/// </summary>
public sealed class ConfigSource
{
    private readonly IReadOnlyDictionary<string, ConfigFileReader.Position> _positions;

    internal ConfigSource(string name, string sha256, ConfigDocument document, IReadOnlyDictionary<string, ConfigFileReader.Position> positions)
    {
        Name = name;
        Sha256 = sha256;
        Document = document;
        _positions = positions;
    }

    /// <summary>The file's or folder's path as given.</summary>
    public string Name { get; }

    /// <summary>The SHA-256 of the file's bytes (of a folder: of each file's name and bytes, in name order), lower-case hex.</summary>
    public string Sha256 { get; }

    public ConfigDocument Document { get; }

    /// <summary>The file's (or folder's) own name, as an apply's audit entry and messages show it.</summary>
    public string DisplayName => Path.GetFileName(Path.TrimEndingDirectorySeparator(Name));

    /// <summary>Where a relative <c>file:</c> reference starts: the folder itself, or the file's folder.</summary>
    public string Folder => Directory.Exists(Name) ? Name : Path.GetDirectoryName(Path.GetFullPath(Name)) ?? ".";

    /// <summary>An error at a path of the document (<c>models[2].parameters.temperature</c>), placed where that value (or its nearest parent) was written.</summary>
    public ConfigFileError Locate(string path, string message) => ConfigFileReader.Locate(_positions, Name, path, message);
}
