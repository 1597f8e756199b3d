using System.Text.Json.Nodes;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Fields that would let a request body choose where traffic or credentials go (as some gateways allow). They are
/// refused wherever they appear, nested ones included (e.g. in <c>extra_body</c>), in any spelling
/// (<c>api_key</c>, <c>apiKey</c>, <c>API-KEY</c>), and nothing is sent. Tool and schema definitions are the
/// caller's own vocabulary and are not searched.
/// </summary>
internal static class HostileFields
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "apibase", "baseurl", "apikey", "apiversion", "azureendpoint", "azureadtoken", "apitype", "organization",
        "extraheaders", "customllmprovider", "litellmparams", "userconfig", "proxyurl", "endpoint", "host", "url",
    };

    private static readonly string[] Prefixes = ["aws", "vertex", "azure"];

    // Caller-defined structures: a tool parameter may well be called "url" or "organization", so may a JSON schema's
    // property (the Responses API's text.format.schema).
    private static readonly HashSet<string> Opaque = new(StringComparer.Ordinal) { "tools", "functions", "responseformat", "inputschema", "parameters", "input", "arguments", "content", "schema" };

    /// <summary>The JSON path of the first forbidden field, or null.</summary>
    public static string? Find(JsonNode? node) => Search(node) is { } path ? "$" + string.Concat(path.AsEnumerable().Reverse()) : null;

    // The path is built only on the way back from a match, so a huge body costs one walk, not one string per node.
    private static List<string>? Search(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                Span<char> buffer = stackalloc char[64];
                foreach (var (name, value) in obj)
                {
                    var normalized = Normalize(name, buffer);
                    if (NameLookup.Contains(normalized) || IsPrefixed(normalized))
                    {
                        return [$".{Printable(name)}"];
                    }

                    if (!OpaqueLookup.Contains(normalized) && Search(value) is { } found)
                    {
                        found.Add($".{Printable(name)}");
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Search(array[i]) is { } found)
                    {
                        found.Add($"[{i}]");
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NameLookup = Names.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> OpaqueLookup = Opaque.GetAlternateLookup<ReadOnlySpan<char>>();

    // Lower case without '_' and '-', written into the caller's buffer (a property name costs no allocation). A name
    // longer than the buffer once separators are dropped cannot be a forbidden one, and normalizes to nothing.
    private static ReadOnlySpan<char> Normalize(string name, Span<char> buffer)
    {
        var length = 0;
        foreach (var c in name)
        {
            if (c is '_' or '-')
            {
                continue;
            }

            if (length == buffer.Length)
            {
                return [];
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        return buffer[..length];
    }

    private static bool IsPrefixed(ReadOnlySpan<char> normalized)
    {
        foreach (var prefix in Prefixes)
        {
            if (normalized.Length > prefix.Length && normalized.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Printable(string name) => name.Length > 64 ? name[..64] + "..." : name;
}
