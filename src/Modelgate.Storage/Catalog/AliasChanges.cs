namespace Modelgate.Storage.Catalog;

/// <summary>What <c>PUT /api/v1/aliases/{name}</c> sets: the target (its id or upstream model_id), a description, the deprecation flag.</summary>
public sealed record AliasChanges(string? ModelId, string? Description, bool Deprecated);
