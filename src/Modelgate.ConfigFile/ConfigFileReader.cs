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
        var (source, errors) = ReadSource(text, fileName);
        return (source?.Document, errors);
    }

    /// <summary>
    /// Reads a file, or a folder of them (every <c>*.yaml</c>/<c>*.yml</c>/<c>*.json</c> directly in it, in name order),
    /// as one document: lists (providers, models, experiments) are joined, maps (defaults, fallbacks, aliases) merged,
    /// and a name given in two files is an error naming both.
    /// </summary>
    public static (ConfigSource? Source, IReadOnlyList<ConfigFileError> Errors) Load(string path)
    {
        try
        {
            return LoadPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigFileError(path, 1, 1, "", $"cannot be read ({e.GetType().Name}: {e.Message})")]);
        }
    }

    private static (ConfigSource? Source, IReadOnlyList<ConfigFileError> Errors) LoadPath(string path)
    {
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            return ReadSource(Text(bytes), path, bytes);
        }

        if (!Directory.Exists(path))
        {
            return (null, [new ConfigFileError(path, 1, 1, "", "no such file or folder")]);
        }

        var files = Directory.EnumerateFiles(path)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return (null, [new ConfigFileError(path, 1, 1, "", "the folder holds no .yaml, .yml or .json file")]);
        }

        var merged = new JsonObject();
        var positions = new Dictionary<string, Position>(StringComparer.Ordinal);
        var errors = new List<ConfigFileError>();
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            // Each file's name and bytes, with their lengths, so no two folders hash alike by a shifted boundary.
            var name = System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file));
            hash.AppendData(Length(name.Length));
            hash.AppendData(name);
            hash.AppendData(Length(bytes.Length));
            hash.AppendData(bytes);
            var (json, filePositions, fileErrors) = Parse(Text(bytes), file);
            errors.AddRange(fileErrors);
            if (json is not null)
            {
                Merge(merged, json, filePositions, positions, errors);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return Deserialize(merged, positions, path, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    // UTF-8 (or UTF-16/32 with a byte-order mark), the mark itself not part of the text: YAML readers trip on it.
    private static string Text(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static byte[] Length(int length)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, length);
        return bytes;
    }

    private static (ConfigSource? Source, IReadOnlyList<ConfigFileError> Errors) ReadSource(string text, string fileName, byte[]? bytes = null)
    {
        var (json, positions, errors) = Parse(text, fileName);
        if (json is null)
        {
            return (null, errors);
        }

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes ?? System.Text.Encoding.UTF8.GetBytes(text)));
        return Deserialize(json, positions, fileName, sha256);
    }

    private static (ConfigSource? Source, IReadOnlyList<ConfigFileError> Errors) Deserialize(JsonObject json, Dictionary<string, Position> positions, string name, string sha256)
    {
        // Required, so an empty, comment-only or cut-off file is an error rather than an empty catalog.
        if (json["version"] is null)
        {
            return (null, [Locate(positions, name, "version", "version is required (version: 1): an empty or incomplete file is refused rather than read as an empty catalog")]);
        }

        try
        {
            var document = json.Deserialize<ConfigDocument>(ConfigJson.Options) ?? new ConfigDocument();
            return (new ConfigSource(name, sha256, document, positions), []);
        }
        catch (JsonException e)
        {
            var path = ConfigJson.PathOf(e);
            return (null, [Locate(positions, name, path, ConfigJson.Describe(e, path))]);
        }
    }

    // One file as a JSON object with each path's position, or the errors that stop it.
    private static (JsonObject? Json, Dictionary<string, Position> Positions, List<ConfigFileError> Errors) Parse(string text, string fileName)
    {
        var positions = new Dictionary<string, Position>(StringComparer.Ordinal);
        var errors = new List<ConfigFileError>();
        JsonNode? json;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                return (new JsonObject(), positions, errors);
            }

            if (stream.Documents.Count > 1)
            {
                var second = stream.Documents[1].RootNode.Start;
                errors.Add(new ConfigFileError(fileName, (int)second.Line, (int)second.Column, "", "a configuration file holds one YAML document; this is a second one"));
                return (null, positions, errors);
            }

            json = ToJson(stream.Documents[0].RootNode, "", positions, errors, fileName);
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigFileError(fileName, (int)e.Start.Line, (int)e.Start.Column, "", Sentence(e.Message)));
            return (null, positions, errors);
        }

        if (errors.Count > 0)
        {
            return (null, positions, errors);
        }

        if (json is not JsonObject obj)
        {
            // An empty file, or one of only comments, is an empty document.
            if (json is null)
            {
                return (new JsonObject(), positions, errors);
            }

            errors.Add(Locate(positions, fileName, "", "the file must be a mapping of sections (version, providers, models, defaults, fallbacks, aliases, experiments)"));
            return (null, positions, errors);
        }

        return (obj, positions, errors);
    }

    // Lays one file's sections into the folder's document: lists joined (their paths renumbered), maps merged.
    private static void Merge(JsonObject merged, JsonObject file, Dictionary<string, Position> filePositions, Dictionary<string, Position> positions, List<ConfigFileError> errors)
    {
        foreach (var (section, value) in file.ToList())
        {
            file.Remove(section);
            if (value is null)
            {
                // An empty section ("providers:" with nothing under it) adds nothing.
                continue;
            }

            if (!merged.TryGetPropertyValue(section, out var existing) || existing is null)
            {
                merged[section] = value;
                Copy(filePositions, section, section, positions);
                continue;
            }

            switch (existing, value)
            {
                case (JsonArray into, JsonArray items):
                    var taken = items.ToList();
                    items.Clear();
                    for (var i = 0; i < taken.Count; i++)
                    {
                        Copy(filePositions, $"{section}[{i}]", $"{section}[{into.Count}]", positions);
                        into.Add(taken[i]);
                    }

                    break;
                case (JsonObject into, JsonObject entries):
                    foreach (var (key, entry) in entries.ToList())
                    {
                        var at = $"{section}.{key}";
                        if (into.ContainsKey(key))
                        {
                            var first = positions.GetValueOrDefault(at);
                            var here = filePositions.GetValueOrDefault(at);
                            errors.Add(new ConfigFileError(here.File, here.Line, here.Column, at, $"'{key}' is also given in {first.File}:{first.Line}"));
                            continue;
                        }

                        entries.Remove(key);
                        into[key] = entry;
                        Copy(filePositions, at, at, positions);
                    }

                    break;
                default:
                    if (!JsonNode.DeepEquals(existing, value))
                    {
                        var first = positions.GetValueOrDefault(section);
                        var here = filePositions.GetValueOrDefault(section);
                        errors.Add(new ConfigFileError(here.File, here.Line, here.Column, section, $"'{section}' differs from {first.File}:{first.Line}"));
                    }

                    break;
            }
        }
    }

    // Positions of a path and everything under it, under another path (a list item's new index).
    private static void Copy(Dictionary<string, Position> from, string fromPath, string toPath, Dictionary<string, Position> to)
    {
        foreach (var (path, position) in from)
        {
            if (path == fromPath || path.StartsWith(fromPath + ".", StringComparison.Ordinal) || path.StartsWith(fromPath + "[", StringComparison.Ordinal))
            {
                to[toPath + path[fromPath.Length..]] = position;
            }
        }
    }

    /// <summary>The position of a path (or of its nearest parent that has one) as an error: file, line, column, path and message.</summary>
    internal static ConfigFileError Locate(IReadOnlyDictionary<string, Position> positions, string fallbackFile, string path, string message)
    {
        for (var at = path; ; at = Parent(at))
        {
            if (positions.TryGetValue(at, out var position))
            {
                return new ConfigFileError(position.File, position.Line, position.Column, path, message);
            }

            if (at.Length == 0)
            {
                return new ConfigFileError(fallbackFile, 1, 1, path, message);
            }
        }
    }

    private static JsonNode? ToJson(YamlNode node, string path, Dictionary<string, Position> positions, List<ConfigFileError> errors, string fileName)
    {
        positions[path] = new Position(fileName, (int)node.Start.Line, (int)node.Start.Column);
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

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private static string Sentence(string message) => message.Length > 0 && char.IsUpper(message[0]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;

    /// <summary>Where a value starts: file, line and column.</summary>
    internal readonly record struct Position(string File, int Line, int Column);
}
