namespace Modelgate.Core.Secrets;

/// <summary>Where the master key comes from: the environment first, else a key file in the data folder.</summary>
public sealed class MasterKeyOptions
{
    /// <summary><c>MODELGATE_MASTER_KEY</c>: 32 bytes as base64 or hex.</summary>
    public string? EnvironmentKey { get; init; }

    /// <summary><c>MODELGATE_PREVIOUS_MASTER_KEYS</c>: comma-separated older keys, kept to decrypt during a rotation.</summary>
    public string? PreviousKeys { get; init; }

    /// <summary>The key file used when no key is in the environment (default <c>&lt;data dir&gt;/master.key</c>).</summary>
    public required string KeyFilePath { get; init; }
}
