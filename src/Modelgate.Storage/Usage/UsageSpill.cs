using System.Text.Json;
using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Batches the database could not take, as JSON lines in the data folder, for replay once it can. Replay takes the
/// whole file aside first (<c>.replaying</c>), so records spilled meanwhile go to a fresh file; a replay that fails
/// leaves the aside file for the next try. Only the writer's loop touches these files.
/// </summary>
internal sealed class UsageSpill(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string ReplayingPath => path + ".replaying";

    public bool HasRecords => File.Exists(path) || File.Exists(ReplayingPath);

    public void Append(IEnumerable<UsageRecord> records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        // A crash mid-line left a line without its end: end it, so the next record starts a line of its own.
        var needsNewline = stream.Length > 0 && ReadLastByte(stream) != (byte)'\n';
        stream.Seek(0, SeekOrigin.End);
        using var file = new StreamWriter(stream);
        if (needsNewline)
        {
            file.WriteLine();
        }

        foreach (var record in records)
        {
            file.WriteLine(JsonSerializer.Serialize(record, Json));
        }

        file.Flush();
    }

    private static int ReadLastByte(FileStream stream)
    {
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte();
    }

    // Exclusive while open, so two processes sharing a data folder (applications in direct mode) never interleave
    // lines, and a replay never reads a file another process is still writing; a short wait for the other one.
    private static FileStream Open(string file, FileMode mode, FileAccess access)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(file, mode, access, FileShare.None);
            }
            catch (IOException) when (attempt < 50 && (File.Exists(file) || mode != FileMode.Open))
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>
    /// The records to replay, read as they are needed (from the aside file, moving the spill file aside first when
    /// there is none).
    /// </summary>
    public IEnumerable<UsageRecord> ReadForReplay()
    {
        if (!File.Exists(ReplayingPath) && File.Exists(path))
        {
            File.Move(path, ReplayingPath);
        }

        if (!File.Exists(ReplayingPath))
        {
            yield break;
        }

        using var reader = new StreamReader(Open(ReplayingPath, FileMode.Open, FileAccess.Read));
        foreach (var record in ReadLines(reader))
        {
            yield return record;
        }
    }

    /// <summary>The records of a file of JSON lines; a line cut by a crash mid-write is passed over.</summary>
    public static IEnumerable<UsageRecord> ReadLines(StreamReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            UsageRecord? record = null;
            try
            {
                record = line.Length > 0 ? JsonSerializer.Deserialize<UsageRecord>(line, Json) : null;
            }
            catch (JsonException)
            {
                // A line cut by a crash mid-write: the rest of the file still counts.
            }

            if (record is not null)
            {
                yield return record;
            }
        }
    }

    /// <summary>A record the database refuses even when it is up: set aside in <c>.rejected</c> for a person to look at.</summary>
    public void Reject(UsageRecord record) =>
        File.AppendAllText(path + ".rejected", JsonSerializer.Serialize(record, Json) + "\n");

    /// <summary>The aside file was written to the database: gone.</summary>
    public void Replayed() => File.Delete(ReplayingPath);
}
