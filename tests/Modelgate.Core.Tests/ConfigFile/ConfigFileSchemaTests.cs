using Modelgate.ConfigFile;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class ConfigFileSchemaTests
{
    // The repository's root, from the test's output folder.
    private static string Published => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "docs", "modelgate-config.schema.json");

    [Fact]
    public void PublishedSchema_IsTheOneTheDocumentMakes()
    {
        var generated = ConfigFileSchema.Generate();
        if (Environment.GetEnvironmentVariable("MODELGATE_WRITE_SCHEMA") == "1")
        {
            File.WriteAllText(Published, generated);
        }

        Assert.Equal(generated, File.ReadAllText(Published));
    }

    [Fact]
    public void Schema_RefusesUnknownFields_AndNamesEverySection()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(ConfigFileSchema.Generate())!;

        Assert.Equal(["version", "providers", "models", "defaults", "fallbacks", "aliases", "experiments"], schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
    }
}
