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
        using var file = new StreamWriter(path, append: true);
        foreach (var record in records)
        {
            file.WriteLine(JsonSerializer.Serialize(record, Json));
        }

        file.Flush();
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

        foreach (var line in File.ReadLines(ReplayingPath))
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
