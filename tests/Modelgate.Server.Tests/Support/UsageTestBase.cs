using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests.Support;

/// <summary>
/// What usage tests share: a fake upstream per test, models and keys made through the admin API, callers with a
/// key, and a wait for the background writer. Each test uses its own key and filters usage by it.
/// </summary>
public abstract class UsageTestBase<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : ServerFixture
{
    protected FakeUpstream Upstream { get; private set; } = null!;

    protected TServer Server => server;

    protected HttpClient Admin => server.Admin;

    public async Task InitializeAsync() => Upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await Upstream.DisposeAsync();

    protected async Task<(string ModelId, string Id)> ModelAsync(string kind, object? prices = null, string type = "chat", string? modelId = null)
    {
        var provider = await Admin.CreateProviderAsync(kind, apiKey: "sk-upstream-0000000000000000USG", baseUrl: Upstream.Url + (kind == "anthropic" ? "" : "/v1"));
        var name = modelId ?? Catalog.Unique(type == "chat" ? "chat" : "embed");
        var body = JsonSerializer.SerializeToElement(prices ?? new { }).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        body["provider_id"] = provider.Str("id");
        body["model_id"] = name;
        body["type"] = type;
        var created = await (await Admin.PostJsonAsync("/api/v1/llm-models", body)).ExpectAsync(HttpStatusCode.Created);
        return (name, created.Str("id"));
    }

    protected async Task<(string Secret, string Id)> KeyAsync(object? extra = null)
    {
        var body = JsonSerializer.SerializeToElement(extra ?? new { }).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        body["name"] = Catalog.Unique("usage");
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", body)).ExpectAsync(HttpStatusCode.Created);
        return (created.Str("key"), created.GetProperty("virtual_key").Str("id"));
    }

    protected HttpClient Caller(string secret)
    {
        var client = server.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    protected static object Chat(string model, bool stream = false, object? streamOptions = null) => streamOptions is null
        ? new { model, stream, messages = new[] { new { role = "user", content = "hello there" } } }
        : new { model, stream, stream_options = streamOptions, messages = new[] { new { role = "user", content = "hello there" } } };

    /// <summary>A chat request that caps its answer at <paramref name="maxTokens"/>: what token limits and budgets reserve for it.</summary>
    protected static object Chat(string model, int maxTokens, bool stream = false) =>
        new { model, stream, max_tokens = maxTokens, messages = new[] { new { role = "user", content = "hello there" } } };

    /// <summary>Waits until the key's usage shows <paramref name="requests"/> calls (the writer works in the background).</summary>
    protected Task<JsonElement> UsageAsync(string keyId, int requests, string groupBy = "") => UsageWhereAsync($"key_id={keyId}", requests, groupBy);

    /// <summary>Waits until the usage the query filters to shows <paramref name="requests"/> calls.</summary>
    protected async Task<JsonElement> UsageWhereAsync(string filter, int requests, string groupBy)
    {
        JsonElement report = default;
        for (var i = 0; i < 100; i++)
        {
            report = await (await Admin.GetAsync($"/api/v1/usage?{filter}&group_by={groupBy}")).ExpectAsync(HttpStatusCode.OK);
            if (report.GetProperty("totals").GetProperty("requests").GetInt64() >= requests)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(requests, report.GetProperty("totals").GetProperty("requests").GetInt64());
        return report;
    }
}
