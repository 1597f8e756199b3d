using Modelgate.Core.Catalog;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// The last snapshot applied from the database, kept in the data folder (gzipped JSON, keys still
/// encrypted) so resolution can go on while the database is unreachable, even across a restart.
/// </summary>
public sealed class LastKnownGoodFile(string path)
{
    public const string FileName = "catalog.last-known-good.json.gz";

    public string Path { get; } = path;

    public bool Exists => File.Exists(Path);

    public void Write(CatalogSnapshot snapshot)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(CatalogSnapshotJson.ToGzip(snapshot));
        }

        File.Move(temp, Path, overwrite: true);
    }

    public CatalogSnapshot? TryRead() => Exists ? CatalogSnapshotJson.FromGzip(File.ReadAllBytes(Path)) : null;
}
