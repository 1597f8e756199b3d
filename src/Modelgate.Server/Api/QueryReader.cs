namespace Modelgate.Server.Api;

/// <summary>Reads query parameters strictly: a malformed value is a 400 that names it, never ignored.</summary>
internal sealed class QueryReader(IQueryCollection query)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public IResult Error => TypedResults.ValidationProblem(_errors, detail: string.Join("; ", _errors.SelectMany(e => e.Value)), title: "The query is not valid");

    public (int Limit, int Offset) Paging()
    {
        var limit = Int("limit", DefaultLimit, 1, MaxLimit);
        var offset = Int("offset", 0, 0, int.MaxValue);
        return (limit, offset);
    }

    /// <summary>Reads <c>?force=true|false</c> (default false); returns the 400 when it is malformed.</summary>
    public static IResult? ReadForce(HttpRequest request, out bool force)
    {
        var query = new QueryReader(request.Query);
        force = query.Bool("force") ?? false;
        return query.HasErrors ? query.Error : null;
    }

    public bool? Bool(string name)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors[name] = [$"{name} must be true or false"];
        return null;
    }

    public Guid? Id(string name)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (Guid.TryParse(text, out var value))
        {
            return value;
        }

        _errors[name] = [$"{name} must be an id (UUID)"];
        return null;
    }

    public string? OneOf(string name, IReadOnlyList<string> allowed)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (allowed.Contains(text))
        {
            return text;
        }

        _errors[name] = [$"{name} must be one of {string.Join(", ", allowed)}"];
        return null;
    }

    public string? Text(string name, int maxLength)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (text.Length <= maxLength && !text.Any(char.IsControl))
        {
            return text;
        }

        _errors[name] = [$"{name} must be at most {maxLength} characters, without control characters"];
        return null;
    }

    /// <summary>An ISO 8601 time (a date alone is midnight UTC; without an offset, UTC).</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        _errors[name] = [$"{name} must be a time in ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00:00Z"];
        return null;
    }

    private int Int(string name, int fallback, int min, int max)
    {
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _errors[name] = [max == int.MaxValue ? $"{name} must be a whole number of at least {min}" : $"{name} must be a whole number from {min} to {max}"];
        return fallback;
    }

    private string? Raw(string name) => query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;
}
