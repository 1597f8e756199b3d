using System.IO.Compression;
using System.Text;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;

namespace Modelgate.Core.Tests.Catalog;

/// <summary>Stored snapshots name each provider's kind in a spelling every version can read.</summary>
public sealed class CatalogSnapshotJsonTests
{
    [Theory]
    [InlineData("anthropic", "anthropic")]
    [InlineData("open-ai", "openai")]
    [InlineData("azure-open-ai", "azure-openai")]
    [InlineData("ollama", "ollama")]
    [InlineData("open-ai-compatible", "openai-compatible")]
    [InlineData("mistral", "mistral")]
    [InlineData("a-kind-from-a-later-version", "openai-compatible")]
    public void FromGzip_ReadsTheKindAsSnapshotsSpellIt(string stored, string kind)
    {
        var json = $$$"""
            {"version":7,"published_at":"2026-11-01T00:00:00+00:00","providers":[{"id":"0193a1b2-0000-7000-8000-000000000001",
            "name":"p","kind":"{{{stored}}}","base_url":"http://127.0.0.1:9/v1","api_key_ciphertext":null,"api_key_mask":null,
            "is_active":true,"is_default":false,"limits":{"requests_per_minute":null,"tokens_per_minute":null}}],"models":[],"defaults":{}}
            """;

        var snapshot = CatalogSnapshotJson.FromGzip(Gzip(json));

        Assert.Equal(kind, Assert.Single(snapshot.Providers.Values).Kind.Name);
    }

    [Fact]
    public void ToGzip_KeepsTheEnumSpellingForTheFirstKinds_AndWritesLaterKindsByWireName_AndReadsEveryKindBack()
    {
        var providers = ProviderKinds.All
            .Select(k => new ProviderConfig(Guid.NewGuid(), k.Name, k, null, null, null, true, false, RateLimits.None)).ToList();
        var snapshot = new CatalogSnapshot(3, DateTimeOffset.UnixEpoch, providers, [], new Dictionary<string, Guid>());

        var gzip = CatalogSnapshotJson.ToGzip(snapshot);
        var back = CatalogSnapshotJson.FromGzip(gzip);

        var json = Gunzip(gzip);
        Assert.Contains("\"kind\":\"open-ai\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"azure-open-ai\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"groq\"", json, StringComparison.Ordinal);
        Assert.All(providers, p => Assert.Same(p.Kind, back.Providers[p.Id].Kind));
    }

    private static byte[] Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return buffer.ToArray();
    }

    private static string Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
