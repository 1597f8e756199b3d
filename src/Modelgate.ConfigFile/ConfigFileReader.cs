using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modelgate.ConfigFile;

/// <summary>
/// Reads a configuration file written in YAML (or JSON, which is YAML) into a <see cref="ConfigDocument"/>. The YAML is
/// turned into JSON while each value's position is noted, then read with System.Text.Json, so every error — a YAML
/// syntax error, a key given twice, an unknown field, a value of the wrong type — names the file, the line and column,
/// and the field's path (<c>models[2].parameters.temperature</c>). Plain scalars are typed as YAML 1.2's core schema
/// types them (<c>null</c>, <c>true</c>, numbers); quoted ones are always strings.
/// </summary>
public static class ConfigFileReader
{
    /// <summary>The document, or the errors that stop it from being read (never both).</summary>
    public static (ConfigDocument? Document, IReadOnlyList<ConfigFileError> Errors) Read(string text, string fileName)
    {
        var positions = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var errors = new List<ConfigFileError>();
        JsonNode? json;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                return (new ConfigDocument(), []);
            }

            if (stream.Documents.Count > 1)
            {
                var second = stream.Documents[1].RootNode.Start;
                return (null, [new ConfigFileError(fileName, (int)second.Line, (int)second.Column, "", "a configuration file holds one YAML document; this is a second one")]);
            }

            json = ToJson(stream.Documents[0].RootNode, "", positions, errors, fileName);
        }
        catch (YamlException e)
        {
            return (null, [new ConfigFileError(fileName, (int)e.Start.Line, (int)e.Start.Column, "", Sentence(e.Message))]);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (json is not JsonObject)
        {
            return (null, [Error(fileName, positions, "", "the file must be a mapping of sections (version, providers, models, defaults, fallbacks, aliases)")]);
        }

        try
        {
            return (json.Deserialize<ConfigDocument>(ConfigJson.Options) ?? new ConfigDocument(), []);
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            return (null, [Error(fileName, positions, path, Describe(e, path))]);
        }
    }

    private static JsonNode? ToJson(YamlNode node, string path, Dictionary<string, Mark> positions, List<ConfigFileError> errors, string fileName)
    {
        positions[path] = node.Start;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        errors.Add(new ConfigFileError(fileName, (int)keyNode.Start.Line, (int)keyNode.Start.Column, path, "a key must be a plain name"));
                        continue;
                    }

                    // A key given twice is refused by YamlDotNet as the stream is loaded (a YamlException with its position).
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    obj[key] = ToJson(valueNode, child, positions, errors, fileName);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(ToJson(sequence.Children[i], $"{path}[{i}]", positions, errors, fileName));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                errors.Add(new ConfigFileError(fileName, (int)node.Start.Line, (int)node.Start.Column, path, "aliases and anchors are not supported here"));
                return null;
        }
    }

    /// <summary>Whether <paramref name="text"/>, written as a plain (unquoted) scalar, reads back as that same string.</summary>
    public static bool PlainScalarIsText(string text) =>
        text.Length > 0 && text.Trim() == text && Plain(text) is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    // YAML 1.2 core schema for plain scalars; anything quoted is a string.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        return scalar.Style is not ScalarStyle.Plain ? JsonValue.Create(value) : Plain(value);
    }

    private static JsonNode? Plain(string value)
    {

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    // The position of the path, or of its nearest parent that has one.
    private static ConfigFileError Error(string fileName, Dictionary<string, Mark> positions, string path, string message)
    {
        for (var at = path; ; at = Parent(at))
        {
            if (positions.TryGetValue(at, out var mark))
            {
                return new ConfigFileError(fileName, (int)mark.Line, (int)mark.Column, path, message);
            }

            if (at.Length == 0)
            {
                return new ConfigFileError(fileName, 1, 1, path, message);
            }
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    // System.Text.Json's messages name .NET types; the file's reader wants the field and what it should hold.
    private static string Describe(JsonException e, string path)
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

    private static string Sentence(string message) => message.Length > 0 && char.IsUpper(message[0]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;
}
