using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Modelgate.Cli.Connection;

/// <summary>Reads and writes the contexts file; written readable by its owner only, since it holds tokens.</summary>
public sealed class CliConfigFile(string path)
{
    /// <summary>The file's path.</summary>
    public string Path { get; } = path;

    /// <summary>The file's contents, or an empty config when there is no file.</summary>
    public CliConfig Load()
    {
        if (!File.Exists(Path))
        {
            return new CliConfig();
        }

        try
        {
            var config = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<CliConfig?>(File.ReadAllText(Path));
            return config ?? new CliConfig();
        }
        catch (YamlException e)
        {
            // The message names the line and column only, never a value, so no token reaches the screen.
            throw new CliException($"{Path} is not a valid config file (line {e.Start.Line}, column {e.Start.Column}).");
        }
    }

    /// <summary>Writes the config, creating the folder; on Unix the file is created 0600 before any token is in it.</summary>
    public void Save(CliConfig config)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(folder);
        var yaml = new SerializerBuilder().Build().Serialize(config);
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(yaml);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode only applies to a new file; an old temporary file keeps its mode unless set here.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
