using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modelgate.Core.Catalog;

/// <summary>
/// A set of limit kinds (limits in shadow mode) in a stored snapshot, as the list of their admin API names. A name this
/// version does not know is left out rather than failing the whole snapshot, so an instance of an earlier version
/// sharing the database during a rolling upgrade still reads the catalog a later one published.
/// </summary>
internal sealed class SnapshotLimitKindsConverter : JsonConverter<LimitKinds>
{
    public override LimitKinds Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LimitNames.Parse(JsonSerializer.Deserialize<string?[]>(ref reader, options) ?? []);

    public override void Write(Utf8JsonWriter writer, LimitKinds value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var name in LimitNames.List(value))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
