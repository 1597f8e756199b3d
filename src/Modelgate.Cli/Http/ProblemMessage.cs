using System.Text.Json;

namespace Modelgate.Cli.Http;

/// <summary>Turns a refused request into one line: the problem's title and detail, else the status.</summary>
public static class ProblemMessage
{
    /// <summary>The message for a non-success answer.</summary>
    public static string From(HttpResponseMessage response, string body)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return status;
            }

            var title = Text(root, "title");
            var detail = Text(root, "detail");
            var parts = new[] { title, detail }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            var message = parts.Count > 0 ? $"{string.Join(": ", parts)} ({status})" : status;
            return message + Errors(root);
        }
        catch (JsonException)
        {
            return status;
        }
    }

    /// <summary>The problem's per-field errors (<c>errors</c>), if it has any.</summary>
    public static IReadOnlyDictionary<string, string[]>? Fields(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return errors.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.ValueKind == JsonValueKind.Array
                ? [.. f.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.ToString())]
                : new[] { f.Value.ToString() });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Errors(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        var lines = errors.EnumerateObject().SelectMany(field => field.Value.ValueKind == JsonValueKind.Array
            ? field.Value.EnumerateArray().Select(m => $"\n  {field.Name}: {m}")
            : [$"\n  {field.Name}: {field.Value}"]);
        return string.Concat(lines);
    }
}
