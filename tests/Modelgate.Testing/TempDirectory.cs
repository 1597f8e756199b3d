namespace Modelgate.Testing;

/// <summary>A folder under /tmp that is deleted when the test is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modelgate-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still held by a pooled connection; the OS temp cleaner gets it.
        }
    }
}
