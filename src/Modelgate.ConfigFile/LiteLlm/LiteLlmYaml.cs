using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// Reading values out of a LiteLLM file's YAML nodes as LiteLLM (PyYAML) would see them: text, numbers, mappings with
/// their <c>&lt;&lt;</c> merge keys applied, and <c>os.environ/NAME</c> references.
/// </summary>
internal static class LiteLlmYaml
{
    /// <summary>LiteLLM's way of saying "read this value from an environment variable".</summary>
    public const string EnvironmentPrefix = "os.environ/";

    /// <summary>
    /// A mapping's entries by key, with <c>&lt;&lt;: *anchor</c> merges applied (the mapping's own keys win), in the
    /// order they are written; keys that are not plain text are left out.
    /// </summary>
    public static List<KeyValuePair<string, YamlNode>> Entries(YamlMappingNode mapping)
    {
        var own = new List<KeyValuePair<string, YamlNode>>();
        var merged = new List<KeyValuePair<string, YamlNode>>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                continue;
            }

            if (key == "<<" && keyNode is YamlScalarNode { Style: ScalarStyle.Plain })
            {
                IEnumerable<YamlNode> sources = value is YamlSequenceNode list ? list.Children : [value];
                foreach (var source in sources.OfType<YamlMappingNode>())
                {
                    merged.AddRange(Entries(source));
                }

                continue;
            }

            own.Add(new(key, value));
        }

        var seen = own.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in merged)
        {
            if (seen.Add(entry.Key))
            {
                own.Add(entry);
            }
        }

        return own;
    }

    /// <summary>The entries of a mapping node as a dictionary (merges applied), or null when the node is not a mapping.</summary>
    public static Dictionary<string, YamlNode>? Mapping(YamlNode? node) =>
        node is YamlMappingNode mapping ? Entries(mapping).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal) : null;

    /// <summary>
    /// A scalar's text; null for a YAML null (<c>~</c>, <c>null</c>, nothing) or a node that is not a scalar. A quoted
    /// scalar is always text.
    /// </summary>
    public static string? Text(YamlNode? node)
    {
        if (node is not YamlScalarNode scalar)
        {
            return null;
        }

        var value = scalar.Value ?? "";
        return scalar.Style == ScalarStyle.Plain && value is "" or "~" or "null" or "Null" or "NULL" ? null : value;
    }

    /// <summary>The variable's name of an <c>os.environ/NAME</c> value, or null when the value is not one.</summary>
    public static string? EnvironmentName(string? text) =>
        text is not null && text.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && text.Length > EnvironmentPrefix.Length
            ? text[EnvironmentPrefix.Length..].Trim()
            : null;

    /// <summary>A number written as a scalar (plain or quoted, with or without an exponent), exactly as written.</summary>
    public static decimal? Decimal(string? text) =>
        text is not null && decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The same number without trailing zeros after the decimal point (<c>2.5000000</c> → <c>2.5</c>).</summary>
    public static decimal Normalize(decimal value) =>
        decimal.Parse(value.ToString("0.############################", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Where a node starts, as 1-based line and column.</summary>
    public static (int Line, int Column) Position(YamlNode node) => ((int)node.Start.Line, (int)node.Start.Column);
}
