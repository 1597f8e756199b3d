using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Modelgate.Core.Catalog;

namespace Modelgate.Server.Api;

/// <summary>
/// Reads a JSON request body with a size limit and turns every way it can be wrong (too big, not JSON,
/// wrong types, unknown or read-only fields) into a 400/413/415 problem that names the field.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    private static readonly HashSet<string> ReadOnlyFields =
        ["id", "created_at", "updated_at", "has_api_key", "api_key_mask", "revision", "model_count", "provider_name", "key", "key_hash", "key_prefix", "revoked_at", "status",
        "state", "phase", "stop_reason", "target_kind", "model_name", "control"];

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        var request = context.Request;
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as JSON with 'Content-Type: application/json'."));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Body required", "The request needs a JSON object body."));
        }

        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}."));
            }
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1})."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes.Span, options);
            return value is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Describe<T>(e));
        }
    }

    private static IResult Describe<T>(JsonException e)
    {
        var path = e.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('[', '.')[0] : null;
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var name = e.Message.Split('\'') is { Length: > 2 } parts ? parts[1] : "?";
            var message = ReadOnlyFields.Contains(name) ? $"'{name}' is read-only and cannot be set" : $"unknown field '{name}'";
            return Invalid(name, message);
        }

        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid(field ?? "body", $"field '{field}' appears more than once");
        }

        if (field is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid JSON", "The body does not have the expected shape; see /openapi/v1.json.");
        }

        return Invalid(field, $"{field} has the wrong type or an invalid value: expected {ExpectedType<T>(field)}");
    }

    private static string ExpectedType<T>(string field)
    {
        var property = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == field);
        var type = property?.PropertyType;
        if (type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(Optional<>))
        {
            type = type.GetGenericArguments()[0];
        }

        var nullable = type is not null && Nullable.GetUnderlyingType(type) is not null;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var name = type switch
        {
            null => "a valid value",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) => "a number",
            _ when type == typeof(Guid) => "an id (UUID string)",
            _ when type == typeof(string[]) => "a list of strings",
            _ => "a valid value",
        };
        return nullable ? name + " or null" : name;
    }

    private static IResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The request body is over the limit of {MaxBytes} bytes.");

    internal static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The request is not valid");

    internal static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
