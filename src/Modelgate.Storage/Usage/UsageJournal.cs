using System.Text.Json;
using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Makes a usage record durable the moment it is handed over: each record is written to a journal file of this
/// process (one write to the operating system, which keeps it even if the process is killed) before
/// <see cref="UsageWriter.Record"/> returns, and the writer deletes a journal segment once every record in it is in
/// the database or the spill file. At the next start, segments a dead process left behind are moved into the spill
/// file and replayed; the database skips request ids it already has, so nothing is counted twice.
/// </summary>
/// <remarks>
/// Segments are named <c>usage-journal-{process}-{n}.jsonl</c> beside the spill file and held open exclusively, so
/// processes sharing a data folder (applications in direct mode) never take each other's live journal. Records get
/// sequence numbers in the order the writer's queue receives them, so the writer knows which segments it has finished.
/// </remarks>
internal sealed class UsageJournal : IDisposable
{
    private const string Prefix = "usage-journal-";
    private const long SegmentBytes = 256 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly object _lock = new();
    private readonly string _process = Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
    // Closed segments stay open (and so locked) until deleted: another process must not take records still queued here.
    private readonly Queue<(string Path, long End, FileStream File)> _closed = new();
    private FileStream? _segment;
    private string? _segmentPath;
    private int _segmentNumber;
    private long _appended;
    private long _handled;
    private bool _kept;

    public UsageJournal(string spillPath) => Directory = Path.GetDirectoryName(Path.GetFullPath(spillPath))!;

    /// <summary>The folder of the journals (the spill file's).</summary>
    public string Directory { get; }

    /// <summary>
    /// Hands the record to <paramref name="enqueue"/> and, when it took it, writes it to the journal, both under one
    /// lock so journal order is queue order. False when the queue refused it (then nothing is written).
    /// </summary>
    /// <exception cref="IOException">The journal could not be written (the record is queued all the same).</exception>
    public bool Append(UsageRecord record, Func<UsageRecord, bool> enqueue)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        // One write a record, line end included: a kill lands between records, not inside one.
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        lock (_lock)
        {
            if (!enqueue(record))
            {
                return false;
            }

            _appended++;
            try
            {
                (_segment ??= Open()).Write(line);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A fresh segment next time; this one goes once its records are handled.
                CloseSegment();
                throw;
            }

            return true;
        }
    }

    /// <summary>
    /// Called by the writer for each batch, in queue order, with whether it is now in the database or the spill file.
    /// A batch that is not (both failed) keeps the journal from then on: no segment is deleted, and the next start
    /// replays them. Otherwise a full segment, or any once the writer has caught up, is closed, and closed segments
    /// whose records are all handled are deleted. A file that cannot be deleted now is replayed at the next start,
    /// where the database skips what it already has.
    /// </summary>
    public void Handled(int count, bool safe)
    {
        _kept |= !safe;
        if (!_kept)
        {
            _handled += count;
        }

        try
        {
            Release(_handled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: replayed at the next start.
        }
    }

    private void Release(long handled)
    {
        lock (_lock)
        {
            if (_segment is not null && handled >= _appended)
            {
                // Caught up (no append can come while the lock is held): the segment starts again empty, no new file.
                _segment.SetLength(0);
            }
            else if (_segment is not null && _segment.Length >= SegmentBytes)
            {
                CloseSegment();
            }

            while (_closed.TryPeek(out var closed) && closed.End <= handled)
            {
                closed.File.Dispose();
                File.Delete(closed.Path);
                _closed.Dequeue();
            }
        }
    }

    /// <summary>
    /// Moves what dead processes left in their journals into the spill file (for replay), then deletes those journals.
    /// A journal still held by a live process is left alone.
    /// </summary>
    public int RecoverOthers(UsageSpill spill)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var recovered = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*.jsonl").Order(StringComparer.Ordinal))
        {
            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
            }
            catch (IOException)
            {
                // Another live process's journal (held open exclusively).
                continue;
            }

            using (stream)
            {
                var records = UsageSpill.ReadLines(new StreamReader(stream)).ToList();
                spill.Append(records);
                recovered += records.Count;
            }

            // After the spill file has them: a crash in between leaves both, and the replay skips what it already wrote.
            File.Delete(file);
        }

        return recovered;
    }

    /// <summary>The writer has stopped: segments whose records are all handled go; the rest stay for the next start.</summary>
    public void Finish()
    {
        try
        {
            lock (_lock)
            {
                if (_segment is not null && _handled >= _appended)
                {
                    _segment.Dispose();
                    File.Delete(_segmentPath!);
                    _segment = null;
                    _segmentPath = null;
                }
            }

            Release(_handled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: replayed at the next start.
        }

        Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _segment?.Dispose();
            _segment = null;
            foreach (var closed in _closed)
            {
                closed.File.Dispose();
            }
        }
    }

    private void CloseSegment()
    {
        if (_segmentPath is not null && _segment is not null)
        {
            _closed.Enqueue((_segmentPath, _appended, _segment));
        }

        _segment = null;
        _segmentPath = null;
    }

    private FileStream Open()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _segmentPath = Path.Combine(Directory, $"{Prefix}{_process}-{++_segmentNumber:D6}.jsonl");
        // Unbuffered: each record is its own write to the operating system, durable against a killed process at once.
        return new FileStream(_segmentPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    }
}
