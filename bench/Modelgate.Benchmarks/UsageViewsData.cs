using Modelgate.Core.Catalog;
using Modelgate.Core.Usage;

namespace Modelgate.Benchmarks;

/// <summary>
/// The usage of a busy gateway for the usage-views benchmark (bench/usage/run-views.sh): 50 models of 5 providers
/// (synthetic ids; usage series need no catalog rows) × 10 virtual keys × 2 purposes, about 1,000 series. Calls are
/// spread evenly over a time span, in time order as a gateway records them; models are used unevenly (a few carry
/// most calls), sizes, latencies and times to first token spread log-normally, half the calls are streamed and 2 %
/// fail (429 or 502). Records are made one at a time, as they are asked for: nothing is held.
/// </summary>
internal sealed class UsageViewsData
{
    public const int Providers = 5;
    public const int ModelsPerProvider = 10;
    public const int Keys = 10;
    private static readonly string[] ProviderNames = ["openai-main", "anthropic-main", "google-main", "mistral-main", "vllm-local"];
    private static readonly string[] Purposes = ["chat", "agents/researcher"];

    // Per million tokens: input prices from the cheap to the dear end of a real catalog; output at 4 ×, cached input at ½.
    private static readonly decimal[] InputPrices = [0.1m, 0.15m, 0.25m, 0.4m, 0.5m, 1m, 1.25m, 2.5m, 3m, 5m, 10m, 15m];

    private readonly (Guid Id, string Name, Guid ProviderId, string Provider, Pricing Pricing)[] _models;
    private readonly double[] _cumulative;
    private readonly Guid[] _keys;

    public UsageViewsData(int seed = 18)
    {
        var random = new Random(seed);
        var providers = ProviderNames.Select(name => (Id: NewId(random), Name: name)).ToArray();
        _models = [.. Enumerable.Range(0, Providers * ModelsPerProvider).Select(i =>
        {
            var (providerId, provider) = providers[i / ModelsPerProvider];
            var input = InputPrices[random.Next(InputPrices.Length)];
            var name = $"{provider.Split('-')[0]}-model-{i % ModelsPerProvider + 1:D2}";
            return (NewId(random), name, providerId, provider, new Pricing(input, input * 4, input / 2));
        })];
        // Zipf-like popularity (weight 1/rank^0.8): the first model takes about 15 % of calls, the last about 0.7 %.
        var weights = Enumerable.Range(1, _models.Length).Select(rank => 1 / Math.Pow(rank, 0.8)).ToArray();
        var sum = weights.Sum();
        var running = 0.0;
        _cumulative = [.. weights.Select(w => running += w / sum)];
        _keys = [.. Enumerable.Range(0, Keys).Select(_ => NewId(random))];
    }

    /// <summary>The most series the records can fall in (statuses apart): models × keys × purposes.</summary>
    public int Series => _models.Length * _keys.Length * Purposes.Length;

    /// <summary><paramref name="count"/> calls from <paramref name="from"/> to <paramref name="to"/> (exclusive), evenly spaced.</summary>
    public IEnumerable<UsageRecord> Records(long count, DateTimeOffset from, DateTimeOffset to, int seed = 42)
    {
        var random = new Random(seed);
        var spanTicks = (to - from).Ticks;
        for (long i = 0; i < count; i++)
        {
            var at = from.AddTicks((long)((double)spanTicks * i / count));
            var model = _models[Pick(random.NextDouble())];
            var failed = random.NextDouble() < 0.02;
            var status = !failed ? 200 : random.Next(2) == 0 ? 429 : 502;
            var streamed = i % 2 == 0;
            var input = (long)Math.Clamp(LogNormal(random, 1_200, 1.1), 1, 200_000);
            var cached = random.NextDouble() < 0.3 ? (long)(input * random.NextDouble() * 0.8) : 0;
            var output = (long)Math.Clamp(LogNormal(random, 250, 0.9), 1, 16_000);
            // A stream's first token, then the output at a model's pace; a refusal (429) is quick, a 502 may have waited long.
            var ttft = (int)Math.Clamp(LogNormal(random, 350, 0.6), 20, 30_000);
            var latency = status switch
            {
                429 => (int)Math.Clamp(LogNormal(random, 15, 0.5), 1, 1_000),
                502 => (int)Math.Clamp(LogNormal(random, 2_000, 1.0), 5, 120_000),
                _ => (int)Math.Min(ttft + output * 1_000 / Math.Clamp(LogNormal(random, 70, 0.4), 10, 400), 600_000),
            };
            // A failed call used no tokens and costs nothing.
            var tokens = failed ? default : new TokenCounts(input, output, cached);
            yield return new UsageRecord
            {
                RequestId = Guid.CreateVersion7(at), At = at, KeyId = _keys[random.Next(_keys.Length)], Purpose = Purposes[random.NextDouble() < 0.7 ? 0 : 1],
                ProviderId = model.ProviderId, ProviderName = model.Provider, ModelId = model.Id, ModelName = model.Name,
                Tokens = tokens, Cost = Cost.Of(model.Pricing, tokens), LatencyMs = latency,
                TimeToFirstTokenMs = streamed && status == 200 ? ttft : null, Streamed = streamed,
                Status = status, ErrorClass = status switch { 429 => "rate_limited", 502 => "upstream_error", _ => null }, ConfigVersion = 17,
            };
        }
    }

    private int Pick(double u)
    {
        var index = Array.BinarySearch(_cumulative, u);
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }

    // median · e^(σ·N(0,1)), the normal from Box–Muller.
    private static double LogNormal(Random random, double median, double sigma) =>
        median * Math.Exp(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static Guid NewId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
