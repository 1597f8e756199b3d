using System.Collections.Frozen;

namespace Modelgate.Core.Catalog;

/// <summary>
/// The objects a configuration file owns: what it named when it was last applied, by kind and name
/// (<c>provider:openai</c>, <c>model:openai/gpt-4o</c>, <c>default:chat</c>, <c>fallback:chat</c>, <c>alias:smart</c>,
/// <c>experiment:cheaper-chat</c>), with the file's name and SHA-256. Part of the catalog, so it is versioned, rolled
/// back and seen by every instance like the objects themselves. Changing an owned object elsewhere (the API, the
/// console) is refused unless forced, since the next apply of the file would undo it.
/// </summary>
public sealed class ManagedObjects(string source, string sha256, IReadOnlyList<string> objects)
{
    private readonly FrozenSet<string> _set = objects.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The file's (or folder's) name when it first came to own these objects (a later apply owning the same keeps it).</summary>
    public string Source { get; } = source;

    /// <summary>The SHA-256 of that apply, lower-case hex.</summary>
    public string Sha256 { get; } = sha256;

    /// <summary>The owned objects' keys (<see cref="Key"/>), in name order.</summary>
    public IReadOnlyList<string> Objects { get; } = [.. objects.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Whether anything is owned.</summary>
    public bool IsEmpty => Objects.Count == 0 && Source.Length == 0;

    /// <summary>Nothing is owned by a file.</summary>
    public static ManagedObjects None { get; } = new("", "", []);

    public const string Provider = "provider", Model = "model", Default = "default", Fallback = "fallback", Alias = "alias", Experiment = "experiment";

    /// <summary>The key of one object: <c>kind:name</c>.</summary>
    public static string Key(string kind, string name) => $"{kind}:{name}";

    /// <summary>Whether the file owns the object.</summary>
    public bool Contains(string kind, string name) => _set.Contains(Key(kind, name));

    /// <summary>
    /// The same objects owned. The file's name and hash are not compared: the same content applied under another name
    /// (at start as one file, from CI as another), or with only its comments changed, owns the same and changes nothing.
    /// </summary>
    public bool SameAs(ManagedObjects other) => Objects.SequenceEqual(other.Objects, StringComparer.Ordinal);
}
