namespace Modelgate.Core.Secrets;

/// <summary>
/// The master keys in force: the primary encrypts, every key in the ring can decrypt.
/// Immutable; a rotation publishes a new ring.
/// </summary>
public sealed class MasterKeyRing
{
    public MasterKeyRing(MasterKey primary, IEnumerable<MasterKey>? previous = null, MasterKeySourceKind source = MasterKeySourceKind.Environment)
    {
        Primary = primary;
        Source = source;
        Keys = new[] { primary }.Concat(previous ?? []).DistinctBy(k => k.Id).ToArray();
    }

    public MasterKey Primary { get; }

    /// <summary>The primary first, then keys kept only to decrypt older ciphertexts.</summary>
    public IReadOnlyList<MasterKey> Keys { get; }

    public MasterKeySourceKind Source { get; }

    public MasterKey? Find(string keyId) => Keys.FirstOrDefault(k => k.Id == keyId);
}

/// <summary>Where the master key came from, which decides how it can be rotated.</summary>
public enum MasterKeySourceKind
{
    /// <summary><c>MODELGATE_MASTER_KEY</c> (and <c>MODELGATE_PREVIOUS_MASTER_KEYS</c>): the operator rotates it.</summary>
    Environment,

    /// <summary>The key file in the data folder: Modelgate can rotate it itself.</summary>
    KeyFile,
}
