using Modelgate.Core.Validation;

namespace Modelgate.Core.Catalog;

/// <summary>Why a catalog operation was refused. Nothing was written when an operation returns one.</summary>
public enum CatalogErrorKind
{
    /// <summary>The request is malformed or breaks a rule (400).</summary>
    Invalid,

    /// <summary>The addressed entity does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state, e.g. a duplicate name or a dependent default (409).</summary>
    Conflict,

    /// <summary>The entity changed since the caller read it (If-Match, 412).</summary>
    PreconditionFailed,
}

/// <summary>A refusal with a short title, a sentence saying what to do, and per-field messages where they apply.</summary>
public sealed record CatalogError(CatalogErrorKind Kind, string Title, string Detail, IDictionary<string, string[]>? Errors = null)
{
    /// <summary>Whether repeating the change with force would be accepted (see <see cref="Forceable"/>).</summary>
    public bool CanForce { get; init; }

    public static CatalogError Invalid(ValidationErrors errors) =>
        new(CatalogErrorKind.Invalid, "The request is not valid", errors.ToString(), errors.ToDictionary());

    public static CatalogError Invalid(string field, string message) =>
        new(CatalogErrorKind.Invalid, "The request is not valid", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static CatalogError NotFound(string detail) => new(CatalogErrorKind.NotFound, "Not found", detail);

    public static CatalogError Conflict(string detail, string? field = null) =>
        new(CatalogErrorKind.Conflict, "Conflict", detail, field is null ? null : new Dictionary<string, string[]> { [field] = [detail] });

    /// <summary>A conflict that the same change made with force (<c>?force=true</c>) would settle, at the cost the detail names.</summary>
    public static CatalogError Forceable(string detail, string? field = null) => Conflict(detail, field) with { CanForce = true };

    public static CatalogError Stale(string entity, int current) =>
        new(CatalogErrorKind.PreconditionFailed, "Precondition failed", $"The {entity} was changed by someone else (now at revision {current}); fetch it again and retry with the new ETag.");
}

/// <summary>The outcome of a catalog operation: a value, or the reason it was refused.</summary>
public readonly record struct CatalogResult<T>(T? Value, CatalogError? Error)
{
    public bool IsSuccess => Error is null;

    public static implicit operator CatalogResult<T>(T value) => new(value, null);

    public static implicit operator CatalogResult<T>(CatalogError error) => new(default, error);
}
