using System.Text.Json;
using YamlDotNet.Serialization;

namespace Modelgate.Cli.Output;

/// <summary>Writes JSON data as YAML, keeping the server's field names and order.</summary>
public static class JsonToYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    /// <summary>The YAML text of a JSON value.</summary>
    public static string Convert(JsonElement value) => Serializer.Serialize(ToObject(value));

    private static object? ToObject(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
