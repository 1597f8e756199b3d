using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Modelgate.ConfigFile;

/// <summary>
/// Writes a <see cref="ConfigDocument"/> as YAML that <see cref="ConfigFileReader"/> reads back to the same document:
/// snake_case fields, absent values left out (and fields at their default, such as <c>active: true</c> or
/// <c>shadow: false</c>), strings that would read as another type (<c>"null"</c>, <c>"1"</c>, <c>"true"</c>) quoted.
/// </summary>
public static class ConfigFileWriter
{
    public static string Write(ConfigDocument document)
    {
        var json = ConfigJson.ToJson(document);
        Prune(json);
        var yaml = new YamlStream(new YamlDocument(ToYaml(json)));
        using var text = new StringWriter();
        yaml.Save(text, assignAnchors: false);
        // YamlDotNet ends a document with "...": a file of one document does not need it.
        var written = text.ToString();
        return written.EndsWith("...\n", StringComparison.Ordinal) ? written[..^4] : written.Replace("\r\n...\r\n", "\r\n", StringComparison.Ordinal);
    }

    // Leaves out what a reader would take as the default anyway: active: true, deprecated: false, shadow: false, empty sections.
    private static void Prune(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is null || (key == "active" && value.GetValueKind() == JsonValueKind.True) || (key is "deprecated" or "shadow" && value.GetValueKind() == JsonValueKind.False)
                        || value is JsonArray { Count: 0 } || value is JsonObject { Count: 0 })
                    {
                        obj.Remove(key);
                        continue;
                    }

                    Prune(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Prune(item);
                    }
                }

                break;
        }
    }

    private static YamlNode ToYaml(JsonNode node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value!)))),
        JsonArray array => new YamlSequenceNode(array.Select(i => ToYaml(i!))),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Text(value.GetValue<string>()),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    // A string a plain scalar would turn into something else is written quoted.
    private static YamlScalarNode Text(string text)
    {
        var plain = ConfigFileReader.PlainScalarIsText(text);
        return new YamlScalarNode(text) { Style = plain ? YamlDotNet.Core.ScalarStyle.Any : YamlDotNet.Core.ScalarStyle.DoubleQuoted };
    }
}
