using System.Globalization;
using System.Text.Json;

namespace Modelgate.Cli.Output;

/// <summary>Reads JSON values as the short text a table cell shows.</summary>
public static class JsonText
{
    /// <summary>The value at a dotted path, as text; empty when absent or null.</summary>
    public static string At(JsonElement element, string path)
    {
        var current = element;
        foreach (var name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return "";
            }
        }

        return Of(current);
    }

    /// <summary>A value as text: strings as they are, lists joined with commas, objects as compact JSON.</summary>
    public static string Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Number => value.TryGetDecimal(out var number) ? number.ToString(CultureInfo.InvariantCulture) : value.GetRawText(),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Of)),
        _ => value.GetRawText(),
    };
}
