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
        var schema = ConfigJson.Options.GetJsonSchemaAsNode(typeof(ConfigDocument), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        if (schema is JsonObject root)
        {
            root.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
            root.Insert(1, "title", "Modelgate configuration file");
        }

        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
