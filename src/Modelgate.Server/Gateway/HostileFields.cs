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

    // Caller-defined structures: a tool parameter may well be called "url" or "organization".
    private static readonly HashSet<string> Opaque = new(StringComparer.Ordinal) { "tools", "functions", "responseformat", "inputschema", "parameters", "input", "arguments", "content" };

    /// <summary>The JSON path of the first forbidden field, or null.</summary>
    public static string? Find(JsonNode? node) => Search(node) is { } path ? "$" + string.Concat(path.AsEnumerable().Reverse()) : null;

    // The path is built only on the way back from a match, so a huge body costs one walk, not one string per node.
    private static List<string>? Search(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var normalized = Normalize(name);
                    if (Names.Contains(normalized) || Prefixes.Any(p => normalized.StartsWith(p, StringComparison.Ordinal) && normalized.Length > p.Length))
                    {
                        return [$".{Printable(name)}"];
                    }

                    if (!Opaque.Contains(normalized) && Search(value) is { } found)
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

    private static string Normalize(string name) =>
        name.Length > 64 ? "" : string.Concat(name.Where(c => c is not ('_' or '-'))).ToLowerInvariant();

    private static string Printable(string name) => name.Length > 64 ? name[..64] + "..." : name;
}
