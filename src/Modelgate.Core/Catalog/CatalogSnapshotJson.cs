using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modelgate.Core.Catalog;

/// <summary>
/// Reads and writes snapshots as (gzipped) JSON: for the version history in the database and the
/// last-known-good file. Keys stay as their ciphertexts.
/// </summary>
public static class CatalogSnapshotJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new SnapshotProviderKindConverter(), new SnapshotLimitKindsConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static byte[] ToGzip(CatalogSnapshot snapshot)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(gzip, ToDocument(snapshot), Options);
        }

        return buffer.ToArray();
    }

    public static CatalogSnapshot FromGzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        return FromDocument(JsonSerializer.Deserialize<Document>(gzip, Options) ?? throw new InvalidDataException("The snapshot is empty."));
    }

    private static Document ToDocument(CatalogSnapshot s) =>
        new(s.Version, s.PublishedAt, [.. s.Providers.Values.OrderBy(p => p.Name, StringComparer.Ordinal)], [.. s.Models.Values.OrderBy(m => m.Id)], s.Defaults.OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
            [.. s.VirtualKeys.Values.OrderBy(k => k.Id)], s.Fallbacks.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
            [.. s.Aliases.Values.OrderBy(a => a.Name, StringComparer.Ordinal)], [.. s.Experiments.Values.OrderBy(e => e.Id)],
            s.Managed.IsEmpty ? null : s.Managed);

    private static CatalogSnapshot FromDocument(Document d) => new(d.Version, d.PublishedAt, d.Providers, d.Models, d.Defaults, d.VirtualKeys, d.Fallbacks, d.Aliases, d.Experiments)
    {
        Managed = d.Managed ?? ManagedObjects.None,
    };

    private sealed record Document(long Version, DateTimeOffset PublishedAt, ProviderConfig[] Providers, ModelDefinition[] Models, Dictionary<string, Guid> Defaults, VirtualKey[]? VirtualKeys, Dictionary<string, Guid[]>? Fallbacks,
        ModelAlias[]? Aliases, Experiment[]? Experiments, ManagedObjects? Managed);
}
