using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Usage;

namespace Modelgate.Ui.Tests.Support;

/// <summary>
/// What an experiment page needs around it, made through the admin API: a provider on the fake upstream with two priced
/// models, a purpose of the test's own defaulting to the first, a virtual key, and calls through the gateway.
/// </summary>
internal sealed class ExperimentSetup
{
    private ExperimentSetup(ConsoleFixture fixture, string purpose, string provider, JsonElement control, JsonElement treatment, string key) =>
        (Fixture, Purpose, Provider, Control, Treatment, Key) = (fixture, purpose, provider, control, treatment, key);

    public ConsoleFixture Fixture { get; }

    /// <summary>e.g. <c>agents/ui-exp-1a2b3c4d</c>, defaulting to <see cref="Control"/>.</summary>
    public string Purpose { get; }

    public string Provider { get; }

    public JsonElement Control { get; }

    public JsonElement Treatment { get; }

    private string Key { get; }

    /// <summary>How the console's model select labels the treatment model.</summary>
    public string TreatmentLabel => $"{Treatment.Str("display_name")} ({Provider})";

    public static async Task<ExperimentSetup> CreateAsync(ConsoleFixture fixture, string prefix)
    {
        var admin = fixture.Admin;
        // The flow test may have made the fake upstream insist on its key: use that one if so.
        var provider = await admin.CreateProviderAsync("openai", apiKey: fixture.Upstream.RequiredKey ?? "sk-ui-experiments-0123456789abcdef", baseUrl: fixture.Upstream.Url + "/v1");
        async Task<JsonElement> ModelAsync(string name, string display, decimal input) => await (await admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = provider.Str("id"), model_id = Catalog.Unique(name), display_name = Catalog.Unique(display), type = "chat",
            input_price_per_million = input, output_price_per_million = input * 4,
        })).ExpectAsync(HttpStatusCode.Created);

        var control = await ModelAsync("exp-large", "Large", 2.5m);
        var treatment = await ModelAsync("exp-mini", "Mini", 0.15m);
        var purpose = "agents/" + Catalog.Unique(prefix);
        await (await admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = control.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var key = await (await admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique(prefix) })).ExpectAsync(HttpStatusCode.Created);
        return new ExperimentSetup(fixture, purpose, provider.Str("name"), control, treatment, key.Str("key"));
    }

    /// <summary>Calls the purpose through the gateway once per session, then waits until the experiment's results count them all.</summary>
    public async Task CallAsync(string experimentId, int sessions, int failFirst = 0)
    {
        using var caller = new HttpClient { BaseAddress = new Uri(Fixture.Url) };
        caller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var before = await CallsAsync(experimentId);
        if (failFirst > 0)
        {
            Fixture.Upstream.FailNext(500, """{"error":{"message":"injected","type":"server_error"}}""", failFirst);
        }

        for (var session = 0; session < sessions; session++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = Purpose, messages = new[] { new { role = "user", content = "hello there" } } }),
            };
            request.Headers.Add("x-modelgate-session", $"session-{Guid.NewGuid():N}");
            using var response = await caller.SendAsync(request);
        }

        for (var attempt = 0; attempt < 100 && await CallsAsync(experimentId) < before + sessions; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(before + sessions, await CallsAsync(experimentId));
    }

    /// <summary>
    /// Records <paramref name="perVariant"/> calls for each variant over the last 12 hours through the server's usage writer
    /// (the control slower, dearer and failing a little less than the treatment), then waits until the results count them.
    /// </summary>
    public async Task SeedAsync(string experimentId, int perVariant)
    {
        var recorder = Fixture.App.Services.GetRequiredService<IUsageRecorder>();
        var random = new Random(16);
        var now = DateTimeOffset.UtcNow;
        var before = await CallsAsync(experimentId);
        foreach (var (variant, model, latency, cost, errorRate) in new[] { ("control", Control, 900, 0.0021m, 0.02), ("mini", Treatment, 620, 0.0003m, 0.035) })
        {
            for (var i = 0; i < perVariant; i++)
            {
                var failed = random.NextDouble() < errorRate;
                recorder.Record(new UsageRecord
                {
                    RequestId = Guid.CreateVersion7(),
                    At = now.AddMinutes(-random.Next(1, 12 * 60)),
                    Operation = UsageOperations.Chat,
                    Purpose = Purpose,
                    ProviderId = Guid.Parse(model.Str("provider_id")),
                    ProviderName = Provider,
                    ModelId = Guid.Parse(model.Str("id")),
                    ModelName = model.Str("model_id"),
                    Tokens = new TokenCounts(800 + random.Next(400), 150 + random.Next(100)),
                    Cost = cost * (decimal)(0.7 + random.NextDouble() * 0.6),
                    LatencyMs = (int)(latency * (0.6 + random.NextDouble() * 0.8)),
                    Status = failed ? 502 : 200,
                    ErrorClass = failed ? "upstream_error" : null,
                    ExperimentId = Guid.Parse(experimentId),
                    Variant = variant,
                });
            }
        }

        for (var attempt = 0; attempt < 100 && await CallsAsync(experimentId) < before + 2 * perVariant; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(before + 2 * perVariant, await CallsAsync(experimentId));
    }

    private async Task<long> CallsAsync(string experimentId)
    {
        var results = await Fixture.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/experiments/{experimentId}/results");
        return results.GetProperty("variants").EnumerateArray().Where(v => !v.GetProperty("shadow").GetBoolean()).Sum(v => v.GetProperty("calls").GetInt64());
    }
}
