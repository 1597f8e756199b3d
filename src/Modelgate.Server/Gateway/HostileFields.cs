using System.Text.Json.Nodes;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Fields that would let a request body choose where traffic or credentials go (as some gateways allow). They are
/// refused wherever they appear, nested ones included (e.g. in <c>extra_body</c>), and nothing is sent.
/// </summary>
internal static class HostileFields
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "api_base", "base_url", "api_key", "api_version", "azure_endpoint", "azure_ad_token", "aws_access_key_id",
        "aws_secret_access_key", "vertex_credentials", "custom_llm_provider", "organization", "extra_headers", "api_type",
    };

    /// <summary>The JSON path of the first forbidden field, or null.</summary>
    public static string? Find(JsonNode? node, string path = "$")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (Names.Contains(name))
                    {
                        return $"{path}.{name}";
                    }

                    if (Find(value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Find(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
