using Modelgate.Core.Catalog;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// What applying a configuration file would change: the catalog version it was worked out against (an apply naming it
/// is refused if the catalog moved on), the changes (keys only as changed), and whether the file's ownership of
/// objects would change (a first apply of a file that matches the catalog still marks what it owns), and the file's
/// experiments left as they are because they are stopped or ended (apply never restarts one).
/// </summary>
public sealed record ConfigPlan(long BasedOnVersion, IReadOnlyList<CatalogChange> Changes, bool OwnershipChanges, string Source, string Sha256, IReadOnlyList<string> LeftAsTheyAre)
{
    /// <summary>Whether applying would publish a new version.</summary>
    public bool HasChanges => Changes.Count > 0 || OwnershipChanges;
}
