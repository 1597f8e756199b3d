using Modelgate.Core.Catalog;

namespace Modelgate.Server.Api;

/// <summary>Turns catalog outcomes into HTTP results: problem details for refusals, ETags for entities.</summary>
internal static class ApiResults
{
    public static IResult Problem(CatalogError error)
    {
        var status = error.Kind switch
        {
            CatalogErrorKind.Invalid => StatusCodes.Status400BadRequest,
            CatalogErrorKind.NotFound => StatusCodes.Status404NotFound,
            CatalogErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status412PreconditionFailed,
        };
        if (status == StatusCodes.Status400BadRequest && error.Errors is { } fieldErrors)
        {
            return TypedResults.ValidationProblem(fieldErrors, detail: error.Detail, title: error.Title);
        }

        var extensions = error.Errors is { } errors ? new Dictionary<string, object?> { ["errors"] = errors } : null;
        return TypedResults.Problem(error.Detail, statusCode: status, title: error.Title, extensions: extensions);
    }

    /// <summary>The changed entity with its ETag, or the refusal as a problem.</summary>
    public static IResult Entity<T>(HttpContext context, CatalogResult<T> result, Func<T, int> revision) =>
        result.Value is { } value ? WithETag(context, value, revision(value)) : Problem(result.Error!);

    /// <summary>The created entity as 201 with Location and ETag, or the refusal as a problem.</summary>
    public static IResult Created<T>(HttpContext context, CatalogResult<T> result, Func<T, (Guid Id, int Revision)> identity, string collection)
    {
        if (result.Value is not { } value)
        {
            return Problem(result.Error!);
        }

        var (id, revision) = identity(value);
        context.Response.Headers.Location = $"{collection}/{id}";
        return WithETag(context, value, revision, StatusCodes.Status201Created);
    }

    /// <summary>204 when the change was made, or the refusal as a problem.</summary>
    public static IResult NoContent<T>(CatalogResult<T> result) => result.IsSuccess ? TypedResults.NoContent() : Problem(result.Error!);

    /// <summary>The entity with its revision as a strong ETag, so a later If-Match can detect a concurrent edit.</summary>
    public static IResult WithETag<T>(HttpContext context, T value, int revision, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers.ETag = $"\"{revision}\"";
        return status == StatusCodes.Status201Created ? TypedResults.Json(value, statusCode: status) : TypedResults.Ok(value);
    }

    /// <summary>
    /// Reads If-Match: absent or <c>*</c> means "any revision"; a quoted revision must match; anything else can never match.
    /// </summary>
    public static int? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return int.TryParse(tag.Trim('"'), out var revision) ? revision : -1;
    }
}
