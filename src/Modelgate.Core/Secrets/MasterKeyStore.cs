namespace Modelgate.Core.Secrets;

/// <summary>
/// Holds the master key ring in force and swaps it atomically on rotation. Loads keys from
/// <c>MODELGATE_MASTER_KEY</c> or from an owner-only key file (one base64 key per line, primary first).
/// </summary>
public sealed class MasterKeyStore(MasterKeyOptions options)
{
    private volatile MasterKeyRing? _ring;

    public MasterKeyRing Current => _ring ?? throw new MasterKeyException("The master key has not been loaded yet.");

    public bool IsLoaded => _ring is not null;

    public string KeyFilePath => options.KeyFilePath;

    /// <summary>
    /// Loads the ring. When no key is configured anywhere it creates a key file only if
    /// <paramref name="createIfMissing"/> (i.e. nothing encrypted exists yet); otherwise returns false.
    /// </summary>
    public bool TryLoad(bool createIfMissing)
    {
        if (!string.IsNullOrWhiteSpace(options.EnvironmentKey))
        {
            var previous = (options.PreviousKeys ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(k => MasterKey.Parse(k, "MODELGATE_PREVIOUS_MASTER_KEYS"));
            _ring = new MasterKeyRing(MasterKey.Parse(options.EnvironmentKey, "MODELGATE_MASTER_KEY"), previous, MasterKeySourceKind.Environment);
            return true;
        }

        if (File.Exists(options.KeyFilePath))
        {
            _ring = ReadKeyFile();
            return true;
        }

        if (!createIfMissing)
        {
            return false;
        }

        var ring = new MasterKeyRing(MasterKey.Generate(), source: MasterKeySourceKind.KeyFile);
        WriteKeyFile(ring);
        _ring = ring;
        return true;
    }

    /// <summary>
    /// First step of a rotation: with a key file, adds a new primary key (keeping the old ones for decryption)
    /// and writes it to disk before anything is re-encrypted; with an environment key, keeps the ring as it is.
    /// </summary>
    public MasterKeyRing BeginRotation()
    {
        var current = Current;
        if (current.Source != MasterKeySourceKind.KeyFile)
        {
            return current;
        }

        var next = new MasterKeyRing(MasterKey.Generate(), current.Keys, MasterKeySourceKind.KeyFile);
        WriteKeyFile(next);
        _ring = next;
        return next;
    }

    /// <summary>Last step of a rotation: once every secret is under the primary, forget the older keys.</summary>
    public void CompleteRotation()
    {
        var current = Current;
        if (current.Source != MasterKeySourceKind.KeyFile)
        {
            return;
        }

        var next = new MasterKeyRing(current.Primary, source: MasterKeySourceKind.KeyFile);
        WriteKeyFile(next);
        _ring = next;
    }

    /// <summary>Re-reads the key file (key file mode only), e.g. after another process rotated it; returns the new ring or null.</summary>
    public MasterKeyRing? Reload()
    {
        if (_ring is not { Source: MasterKeySourceKind.KeyFile } || !File.Exists(options.KeyFilePath))
        {
            return null;
        }

        try
        {
            _ring = ReadKeyFile();
            return _ring;
        }
        catch (Exception e) when (e is IOException or MasterKeyException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Undoes a rotation that failed: the ring (and key file) go back to what they were before it began.</summary>
    public void Restore(MasterKeyRing ring)
    {
        if (ring.Source == MasterKeySourceKind.KeyFile)
        {
            WriteKeyFile(ring);
        }

        _ring = ring;
    }

    private MasterKeyRing ReadKeyFile()
    {
        var keys = File.ReadAllLines(options.KeyFilePath)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => MasterKey.Parse(l, options.KeyFilePath))
            .ToList();
        return keys.Count == 0
            ? throw new MasterKeyException($"The key file {options.KeyFilePath} holds no key.")
            : new MasterKeyRing(keys[0], keys.Skip(1), MasterKeySourceKind.KeyFile);
    }

    // Written to a temporary file created owner-only, then renamed over the old one, so a crash never leaves half a file.
    private void WriteKeyFile(MasterKeyRing ring)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(options.KeyFilePath))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".master.key.{Guid.NewGuid():N}.tmp");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, System.Text.Encoding.ASCII, fileOptions))
        {
            writer.WriteLine("# Modelgate master key ring: the first key encrypts, all keys decrypt. Keep this file secret and backed up.");
            foreach (var key in ring.Keys)
            {
                writer.WriteLine(key.ToBase64());
            }
        }

        File.Move(temp, options.KeyFilePath, overwrite: true);
    }
}
