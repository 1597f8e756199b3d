namespace Modelgate.Storage.Catalog;

/// <summary>Filters for listing models; null means "any".</summary>
public sealed record ModelFilter(string? Type = null, Guid? ProviderId = null, bool? IsActive = null);
