namespace Modelgate.Storage.Catalog;

/// <summary>Filters for listing models; null means "any". <paramref name="Search"/> matches model id or display name, ignoring case.</summary>
public sealed record ModelFilter(string? Type = null, Guid? ProviderId = null, bool? IsActive = null, string? Search = null);
