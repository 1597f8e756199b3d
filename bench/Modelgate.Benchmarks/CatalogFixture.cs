using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;

namespace Modelgate.Benchmarks;

/// <summary>A catalog of a realistic size: providers with encrypted keys, many models, defaults for each purpose.</summary>
internal static class CatalogFixture
{
    public static SecretProtector Protector()
    {
        var keys = new MasterKeyStore(new MasterKeyOptions { EnvironmentKey = MasterKey.Generate().ToBase64(), KeyFilePath = "/nonexistent/master.key" });
        keys.TryLoad(createIfMissing: false);
        return new SecretProtector(keys);
    }

    public static CatalogSnapshot Snapshot(SecretProtector protector, int models, long version)
    {
        var providers = Enumerable.Range(0, 10).Select(i =>
        {
            var id = Guid.NewGuid();
            return new ProviderConfig(id, $"provider-{i}", i % 2 == 0 ? ProviderKind.Anthropic : ProviderKind.OpenAI, null,
                protector.Protect($"sk-benchmark-key-{i:D4}-0000000000000000", SecretContext.ProviderApiKey(id)), "sk-bench...0000", true, i == 0, RateLimits.None);
        }).ToList();
        var catalog = Enumerable.Range(0, models).Select(i => new ModelDefinition(
            Guid.NewGuid(), providers[i % providers.Count].Id, $"model-{i}", null, i % 10 == 9 ? ModelKind.Embedding : ModelKind.Chat, true,
            new ModelParameters(0.7, null, 4096), new Pricing(3m, 15m, 0.3m), 200_000, null)).ToList();
        var defaults = new Dictionary<string, Guid>
        {
            ["chat"] = catalog[0].Id,
            ["agents"] = catalog[1].Id,
            ["embeddings"] = catalog[9].Id,
            ["agents/researcher"] = catalog[2].Id,
            ["agents/coder"] = catalog[3].Id,
        };
        return new CatalogSnapshot(version, DateTimeOffset.UtcNow, providers, catalog, defaults);
    }

    public static CurrentCatalog Current(SecretProtector protector) =>
        new(protector, EnvironmentFallback.None, NullLogger<CurrentCatalog>.Instance, TimeProvider.System);
}
