using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Modelgate.ConfigFile;

/// <summary>
/// The JSON Schema of the configuration file, made from <see cref="ConfigDocument"/> itself (so it cannot drift from what
/// <see cref="ConfigFileReader"/> accepts) and published as <c>docs/modelgate-config.schema.json</c> for editors: a YAML
/// file starting with <c># yaml-language-server: $schema=…</c> is then checked as it is typed.
/// </summary>
public static class ConfigFileSchema
{
    public static string Generate()
    {
        var schema = ConfigJson.Options.GetJsonSchemaAsNode(typeof(ConfigDocument), new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = static (context, node) =>
            {
                // What the reader insists on beyond the types: the format's version, and keys only as references.
                if (node is JsonObject property && context.PropertyInfo is { } info)
                {
                    if (info.DeclaringType == typeof(ConfigDocument) && info.Name == "version")
                    {
                        property["const"] = 1;
                    }
                    else if (info.DeclaringType == typeof(ConfigProvider) && info.Name == "api_key")
                    {
                        property["pattern"] = "^(env|file):.+";
                        property["description"] = "env:NAME or file:/path, resolved when the file is applied; never the key itself";
                    }
                }

                return node;
            },
        });
        if (schema is JsonObject root)
        {
            root.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
            root.Insert(1, "title", "Modelgate configuration file");
            root["required"] = new JsonArray("version");
        }

        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
