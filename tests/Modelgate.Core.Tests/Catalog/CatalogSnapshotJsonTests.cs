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

    [Fact]
    public void ToGzip_WritesShadowLimitsByTheirApiNames_AndReadsEveryLimitBack()
    {
        var provider = new ProviderConfig(Guid.NewGuid(), "p", ProviderKind.Ollama, null, null, null, true, false,
            new RateLimits(100, 1000) { Shadow = LimitKinds.RequestsPerMinute });
        var model = new ModelDefinition(Guid.NewGuid(), provider.Id, "m", null, ModelKind.Chat, true, ModelParameters.None, Pricing.Unknown, null, null)
        {
            Limits = new RateLimits(60, 6000) { Shadow = LimitKinds.RequestsPerMinute | LimitKinds.TokensPerMinute },
        };
        var key = new VirtualKey(Guid.NewGuid(), "k", "hash", "mg-prefix", [], [], null, null, DateTimeOffset.UnixEpoch)
        {
            Limits = new RateLimits(6, 600) { ConcurrentRequests = 2, Shadow = LimitKinds.ConcurrentRequests | LimitKinds.Budget },
        };
        var snapshot = new CatalogSnapshot(4, DateTimeOffset.UnixEpoch, [provider], [model], new Dictionary<string, Guid>(), [key]);

        var gzip = CatalogSnapshotJson.ToGzip(snapshot);
        var back = CatalogSnapshotJson.FromGzip(gzip);

        Assert.Contains("\"shadow\":[\"concurrent_requests\",\"budget\"]", Gunzip(gzip), StringComparison.Ordinal);
        Assert.Equal(provider.Limits, back.Providers[provider.Id].Limits);
        Assert.Equal(model.Limits, back.Models[model.Id].Limits);
        Assert.Equal(key.Limits, back.VirtualKeys["hash"].Limits);
    }

    [Fact]
    public void FromGzip_ASnapshotFromBeforeModelAndKeyLimits_ReadsThemAsNone_AndLeavesOutShadowNamesItDoesNotKnow()
    {
        var json = """
            {"version":7,"published_at":"2026-11-01T00:00:00+00:00","providers":[{"id":"0193a1b2-0000-7000-8000-000000000001",
            "name":"p","kind":"ollama","base_url":null,"api_key_ciphertext":null,"api_key_mask":null,"is_active":true,"is_default":false,
            "limits":{"requests_per_minute":5,"tokens_per_minute":null,"shadow":["tokens_per_minute","a_limit_from_a_later_version"]}}],
            "models":[{"id":"0193a1b2-0000-7000-8000-000000000002","provider_id":"0193a1b2-0000-7000-8000-000000000001","model_id":"m",
            "display_name":null,"kind":"chat","is_active":true,"parameters":{},"pricing":{},"context_window":null,"embedding_dimensions":null}],
            "defaults":{}}
            """;

        var snapshot = CatalogSnapshotJson.FromGzip(Gzip(json));

        Assert.Equal(new RateLimits(5) { Shadow = LimitKinds.TokensPerMinute }, Assert.Single(snapshot.Providers.Values).Limits);
        Assert.Same(RateLimits.None, Assert.Single(snapshot.Models.Values).Limits);
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
