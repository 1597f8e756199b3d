using Modelgate.Core.Usage;

namespace Modelgate.Benchmarks;

/// <summary>Usage records as a busy gateway would produce them: mixed models, keys, purposes, sizes, streams and errors.</summary>
internal static class SyntheticUsage
{
    public static readonly (Guid Id, string Name)[] DefaultModels =
        [(Guid.NewGuid(), "gpt-4o-mini"), (Guid.NewGuid(), "claude-sonnet-4-20250514"), (Guid.NewGuid(), "text-embedding-3-small")];

    /// <summary><paramref name="count"/> records of the given models, the first at <paramref name="start"/>, one every <paramref name="spacing"/>.</summary>
    public static IEnumerable<UsageRecord> Records(int count, IReadOnlyList<(Guid Id, string Name)> models, DateTimeOffset start, TimeSpan spacing)
    {
        var random = new Random(42);
        var keys = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var provider = Guid.NewGuid();
        for (var i = 0; i < count; i++)
        {
            var (modelId, model) = models[random.Next(models.Count)];
            var input = random.Next(10, 20_000);
            var output = random.Next(0, 2_000);
            yield return new UsageRecord
            {
                RequestId = Guid.CreateVersion7(), At = start + spacing * i, KeyId = keys[random.Next(keys.Length)], Purpose = i % 3 == 0 ? "agents/researcher" : "chat",
                ProviderId = provider, ProviderName = "openai-main", ModelId = modelId, ModelName = model,
                Tokens = new TokenCounts(input, output, random.Next(0, input / 2)), Cost = Cost.Of(new Core.Catalog.Pricing(0.15m, 0.6m, 0.075m), new TokenCounts(input, output)),
                LatencyMs = random.Next(50, 5_000), TimeToFirstTokenMs = i % 2 == 0 ? random.Next(20, 800) : null, Streamed = i % 2 == 0,
                Status = i % 50 == 0 ? 502 : 200, ErrorClass = i % 50 == 0 ? "upstream_error" : null, ConfigVersion = 17,
            };
        }
    }
}
