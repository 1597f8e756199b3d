using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Secrets;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests.Support;

/// <summary>
/// Several Modelgate instances on one PostgreSQL database and one Redis (the fleet a load balancer spreads calls over),
/// a fake OpenAI upstream, and a provider, a model and a key made through the first instance's admin API.
/// </summary>
public sealed class LimitFleet : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly List<ModelgateApp> _apps;
    private int _next;

    private LimitFleet(TestDatabase database, List<ModelgateApp> apps, FakeUpstream upstream)
    {
        _database = database;
        _apps = apps;
        Upstream = upstream;
        Admin = apps[0].CreateAdminClient();
    }

    public IReadOnlyList<ModelgateApp> Apps => _apps;

    public FakeUpstream Upstream { get; }

    public HttpClient Admin { get; }

    public string ProviderId { get; private set; } = "";

    public string Model { get; private set; } = "";

    public string ModelRowId { get; private set; } = "";

    public string KeyId { get; private set; } = "";

    public string Secret { get; private set; } = "";

    public static async Task<LimitFleet> StartAsync(int instances, string redis, string policy = "local")
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?>
        {
            ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64(),
            ["MODELGATE_REDIS"] = redis,
            ["MODELGATE_LIMITS_WITHOUT_REDIS"] = policy,
        };
        var apps = Enumerable.Range(0, instances).Select(_ => new ModelgateApp(database.Options, database.DataDirectory.Path, settings)).ToList();
        foreach (var app in apps)
        {
            // Starts the instance (its registration in the fleet included).
            app.CreateClient().Dispose();
        }

        return new LimitFleet(database, apps, await FakeUpstream.StartAsync());
    }

    /// <summary>A provider with <paramref name="providerLimits"/>, a model with <paramref name="modelFields"/>, a key with <paramref name="keyFields"/>; every instance sees them.</summary>
    public async Task ConfigureAsync(object providerLimits, object? modelFields = null, object? keyFields = null)
    {
        var provider = await Admin.CreateProviderAsync("openai", apiKey: "sk-upstream-0000000000000000FLT", baseUrl: Upstream.Url + "/v1");
        ProviderId = provider.Str("id");
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{ProviderId}", providerLimits)).ExpectAsync(HttpStatusCode.OK);
        var body = Fields(modelFields);
        body["provider_id"] = ProviderId;
        body["model_id"] = Model = Catalog.Unique("fleet");
        body["type"] = "chat";
        ModelRowId = (await (await Admin.PostJsonAsync("/api/v1/llm-models", body)).ExpectAsync(HttpStatusCode.Created)).Str("id");
        var key = Fields(keyFields);
        key["name"] = Catalog.Unique("fleet");
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", key)).ExpectAsync(HttpStatusCode.Created);
        (Secret, KeyId) = (created.Str("key"), created.GetProperty("virtual_key").Str("id"));
        await EveryInstanceSeesTheLatestVersionAsync();
    }

    /// <summary>Waits until every instance applies the catalog version the admin API last published.</summary>
    public async Task EveryInstanceSeesTheLatestVersionAsync()
    {
        var latest = _apps[0].Services.GetRequiredService<Core.Resolution.CurrentCatalog>().State.Snapshot.Version;
        await WaitUntilAsync(() => _apps.All(a => a.Services.GetRequiredService<Core.Resolution.CurrentCatalog>().State.Snapshot.Version >= latest), "every instance applies the latest catalog");
    }

    /// <summary>A caller of one instance after the other, as a load balancer would spread them.</summary>
    public HttpClient NextCaller()
    {
        var client = _apps[Interlocked.Increment(ref _next) % _apps.Count].CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        return client;
    }

    /// <summary><paramref name="count"/> chat calls at once, spread over the instances; their responses.</summary>
    public async Task<HttpResponseMessage[]> CallAtOnceAsync(int count, int? maxTokens = null)
    {
        var callers = Enumerable.Range(0, count).Select(_ => NextCaller()).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var calls = callers.Select(c => Task.Run(async () =>
            {
                await start.WaitAsync();
                return await c.PostJsonAsync("/v1/chat/completions", maxTokens is { } max
                    ? new { model = Model, max_tokens = max, messages = new[] { new { role = "user", content = "hello there" } } }
                    : new { model = Model, messages = new[] { new { role = "user", content = "hello there" } } });
            })).ToList();
            start.Release(count);
            return await Task.WhenAll(calls);
        }
        finally
        {
            callers.ForEach(c => c.Dispose());
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"gave up after {seconds} s waiting until {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static Dictionary<string, object?> Fields(object? fields) =>
        System.Text.Json.JsonSerializer.SerializeToElement(fields ?? new { }).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
}
