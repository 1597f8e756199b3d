using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Modelgate.ConfigFile;

/// <summary>
/// The file's document as JSON: how it is read (strictly: an unknown field or a value of the wrong type is an error
/// naming its path) and written (snake_case, absent values left out). The reader, the schema, the CLI sending a document
/// to the server and the server reading it all use these, so a document means the same everywhere.
/// </summary>
public static class ConfigJson
{
    /// <summary>How a document is read.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>How a document is written.</summary>
    public static JsonSerializerOptions WriteOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The document as JSON.</summary>
    public static JsonNode ToJson(ConfigDocument document) => JsonSerializer.SerializeToNode(document, WriteOptions)!;

    /// <summary>A document sent as JSON, or the path and the reason it cannot be read.</summary>
    public static (ConfigDocument? Document, string Path, string Error) FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return (null, "", "the document must be an object of sections (version, providers, models, defaults, fallbacks, aliases, experiments)");
        }

        try
        {
            return (json.Deserialize<ConfigDocument>(Options) ?? new ConfigDocument(), "", "");
        }
        catch (JsonException e)
        {
            var path = PathOf(e);
            return (null, path, Describe(e, path));
        }
    }

    // System.Text.Json's path ($.aliases['gpt-4.1'].model) as the file's (aliases.gpt-4.1.model).
    internal static string PathOf(JsonException e) =>
        System.Text.RegularExpressions.Regex.Replace(e.Path ?? "$", @"\['([^']*)'\]", ".$1").TrimStart('$').TrimStart('.');

    // System.Text.Json's messages name .NET types; the file's reader wants the field and what it should hold.
    internal static string Describe(JsonException e, string path)
    {
        var field = path[(Math.Max(path.LastIndexOf('.'), -1) + 1)..];
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"unknown field '{field}'";
        }

        return e.Message.Contains("could not be converted to", StringComparison.Ordinal) || e.Message.Contains("Cannot get the value", StringComparison.Ordinal)
            ? $"'{field}' has a value of the wrong type"
            : "this value has the wrong type or shape";
    }
}
