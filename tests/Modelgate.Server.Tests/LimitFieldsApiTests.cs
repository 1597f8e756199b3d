using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>The limits of providers, models and keys, and limits in shadow mode: stored, validated, versioned, rolled back.</summary>
public abstract class LimitFieldsApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    private CatalogSnapshot Snapshot => server.App.Services.GetRequiredService<CurrentCatalog>().State.Snapshot;

    [Fact]
    public async Task Model_limits_are_returned_as_created_and_a_partial_update_changes_only_what_it_names()
    {
        var provider = await Admin.CreateProviderAsync();
        var created = await (await Admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = provider.Str("id"), model_id = Catalog.Unique("limited"),
            requests_per_minute = 60, tokens_per_minute = 5_000_000_000L, shadow_limits = new[] { "tokens_per_minute" },
        })).ExpectAsync(HttpStatusCode.Created);
        var url = $"/api/v1/llm-models/{created.Str("id")}";

        AssertLimits(created, 60, 5_000_000_000L, ["tokens_per_minute"]);
        AssertLimits(await (await Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK), 60, 5_000_000_000L, ["tokens_per_minute"]);
        AssertLimits(await ListedAsync($"/api/v1/llm-models?provider_id={provider.Str("id")}", created.Str("id")), 60, 5_000_000_000L, ["tokens_per_minute"]);
        Assert.Equal(new RateLimits(60, 5_000_000_000L) { Shadow = LimitKinds.TokensPerMinute }, Snapshot.Models[Guid.Parse(created.Str("id"))].Limits);

        var updated = await (await Admin.PutJsonAsync(url, new { tokens_per_minute = (long?)null, shadow_limits = new[] { "requests_per_minute", "requests_per_minute" } })).ExpectAsync(HttpStatusCode.OK);

        AssertLimits(updated, 60, null, ["requests_per_minute"]);
        var cleared = await (await Admin.PutJsonAsync(url, new { requests_per_minute = (int?)null, shadow_limits = (string[]?)null })).ExpectAsync(HttpStatusCode.OK);
        AssertLimits(cleared, null, null, []);
        Assert.Equal(RateLimits.None, Snapshot.Models[Guid.Parse(created.Str("id"))].Limits);
    }

    [Fact]
    public async Task Key_limits_are_returned_as_created_and_a_partial_update_changes_only_what_it_names()
    {
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new
        {
            name = Catalog.Unique("limited-key"), budget_usd = 10m, requests_per_minute = 30, tokens_per_minute = 90_000L, concurrent_requests = 4,
            shadow_limits = new[] { "budget", "concurrent_requests" },
        })).ExpectAsync(HttpStatusCode.Created);
        var key = created.GetProperty("virtual_key");
        var url = $"/api/v1/keys/{key.Str("id")}";

        AssertKeyLimits(key, 30, 90_000L, 4, ["concurrent_requests", "budget"]);
        AssertKeyLimits(await (await Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK), 30, 90_000L, 4, ["concurrent_requests", "budget"]);
        AssertKeyLimits(await ListedAsync("/api/v1/keys?limit=200", key.Str("id")), 30, 90_000L, 4, ["concurrent_requests", "budget"]);
        var inEffect = Snapshot.VirtualKeys[VirtualKey.Hash(created.Str("key"))].Limits;
        Assert.Equal(new RateLimits(30, 90_000L) { ConcurrentRequests = 4, Shadow = LimitKinds.ConcurrentRequests | LimitKinds.Budget }, inEffect);

        var updated = await (await Admin.PutJsonAsync(url, new { concurrent_requests = (int?)null, shadow_limits = Array.Empty<string>() })).ExpectAsync(HttpStatusCode.OK);

        AssertKeyLimits(updated, 30, 90_000L, null, []);
        Assert.Equal(10m, updated.GetProperty("budget_usd").GetDecimal());
        Assert.Equal(new RateLimits(30, 90_000L), Snapshot.VirtualKeys[VirtualKey.Hash(created.Str("key"))].Limits);
    }

    [Fact]
    public async Task Provider_shadow_limits_are_returned_and_kept_by_an_update_that_leaves_them_out()
    {
        var created = await (await Admin.PostJsonAsync("/api/v1/llm-providers", new
        {
            name = Catalog.Unique("shadowed"), type = "ollama", requests_per_minute = 100, shadow_limits = new[] { "requests_per_minute" },
        })).ExpectAsync(HttpStatusCode.Created);
        var url = $"/api/v1/llm-providers/{created.Str("id")}";

        var renamed = await (await Admin.PutJsonAsync(url, new { name = Catalog.Unique("renamed") })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["requests_per_minute"], Names(renamed));
        Assert.Equal(["requests_per_minute"], Names(await (await Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)));
        Assert.Equal(LimitKinds.RequestsPerMinute, Snapshot.Providers[Guid.Parse(created.Str("id"))].Limits.Shadow);
    }

    [Theory]
    [InlineData("""{"concurrent_requests":0}""", "concurrent_requests")]
    [InlineData("""{"concurrent_requests":1000001}""", "concurrent_requests")]
    [InlineData("""{"requests_per_minute":100000001}""", "requests_per_minute")]
    [InlineData("""{"tokens_per_minute":-5}""", "tokens_per_minute")]
    [InlineData("""{"tokens_per_minute":"lots"}""", "tokens_per_minute")]
    [InlineData("""{"requests_per_minute":7,"shadow_limits":["everything"]}""", "shadow_limits")]
    [InlineData("""{"shadow_limits":"budget"}""", "shadow_limits")]
    [InlineData("""{"shadow_limits":[null]}""", "shadow_limits")]
    public async Task A_bad_key_limit_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("untouched"), requests_per_minute = 5 })).ExpectAsync(HttpStatusCode.Created);
        var url = $"/api/v1/keys/{created.GetProperty("virtual_key").Str("id")}";
        var version = Snapshot.Version;

        var problem = await (await Admin.SendRawAsync(HttpMethod.Put, url, body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(created.GetProperty("virtual_key").GetRawText(), (await (await Admin.GetAsync(url)).JsonAsync()).GetRawText());
        Assert.Equal(version, Snapshot.Version);
    }

    [Fact]
    public async Task A_budget_in_shadow_mode_on_a_model_is_refused_naming_it_and_the_limits_a_model_has()
    {
        var provider = await Admin.CreateProviderAsync();
        var total = (await (await Admin.GetAsync("/api/v1/llm-models?limit=1")).JsonAsync()).GetProperty("total").GetInt32();

        var problem = await (await Admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = provider.Str("id"), model_id = Catalog.Unique("m"), requests_per_minute = 10, shadow_limits = new[] { "budget", "tokens_per_mnute" },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        var messages = problem.GetProperty("errors").GetProperty("shadow_limits").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.StartsWith("shadow_limits may name requests_per_minute, tokens_per_minute;", m, StringComparison.Ordinal));
        Assert.EndsWith("'budget' is not a limit of a model", messages[0], StringComparison.Ordinal);
        Assert.EndsWith("'tokens_per_mnute' is not a limit", messages[1], StringComparison.Ordinal);
        Assert.Equal(total, (await (await Admin.GetAsync("/api/v1/llm-models?limit=1")).JsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Every_limit_change_is_audited_and_shows_in_the_version_diff_shadow_limits_as_a_list_of_names()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("diffed") })).ExpectAsync(HttpStatusCode.Created)).GetProperty("virtual_key");

        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { shadow_limits = new[] { "tokens_per_minute" } })).ExpectAsync(HttpStatusCode.OK);
        var providerFields = await LatestDiffFieldsAsync();
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{model.Str("id")}", new { requests_per_minute = 60, tokens_per_minute = 1000, shadow_limits = new[] { "requests_per_minute" } })).ExpectAsync(HttpStatusCode.OK);
        var modelFields = await LatestDiffFieldsAsync();
        await (await Admin.PutJsonAsync($"/api/v1/keys/{key.Str("id")}", new
        {
            requests_per_minute = 6, tokens_per_minute = 600, concurrent_requests = 2, shadow_limits = new[] { "budget", "requests_per_minute" },
        })).ExpectAsync(HttpStatusCode.OK);
        var keyFields = await LatestDiffFieldsAsync();

        Assert.Equal(["shadow_limits"], providerFields.EnumerateObject().Select(f => f.Name));
        Assert.Empty(providerFields.GetProperty("shadow_limits").GetProperty("before").EnumerateArray());
        Assert.Equal(["tokens_per_minute"], After(providerFields, "shadow_limits").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(60, After(modelFields, "requests_per_minute").GetInt32());
        Assert.Equal(1000, After(modelFields, "tokens_per_minute").GetInt64());
        Assert.Equal(["requests_per_minute"], After(modelFields, "shadow_limits").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(6, After(keyFields, "requests_per_minute").GetInt32());
        Assert.Equal(600, After(keyFields, "tokens_per_minute").GetInt64());
        Assert.Equal(2, After(keyFields, "concurrent_requests").GetInt32());
        Assert.Equal(["requests_per_minute", "budget"], After(keyFields, "shadow_limits").EnumerateArray().Select(n => n.GetString()));

        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=virtual_key&entity_id={key.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        var update = audit.GetProperty("data").EnumerateArray().First(e => e.Str("action") == "virtual_key.update");
        Assert.Equal(JsonValueKind.Null, update.GetProperty("before").GetProperty("concurrent_requests").ValueKind);
        Assert.Equal(2, update.GetProperty("after").GetProperty("concurrent_requests").GetInt32());
    }

    [Fact]
    public async Task A_rollback_brings_back_the_limits_of_providers_and_models_and_leaves_keys_as_they_are()
    {
        var provider = await (await Admin.PostJsonAsync("/api/v1/llm-providers", new
        {
            name = Catalog.Unique("rolled"), type = "ollama", shadow_limits = new[] { "requests_per_minute" },
        })).ExpectAsync(HttpStatusCode.Created);
        var model = await (await Admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = provider.Str("id"), model_id = Catalog.Unique("rolled"), requests_per_minute = 60, tokens_per_minute = 6000, shadow_limits = new[] { "tokens_per_minute" },
        })).ExpectAsync(HttpStatusCode.Created);
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("kept"), concurrent_requests = 3 })).ExpectAsync(HttpStatusCode.Created)).GetProperty("virtual_key");
        var good = Snapshot.Version;
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { shadow_limits = Array.Empty<string>() })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{model.Str("id")}", new { requests_per_minute = 1, tokens_per_minute = (long?)null, shadow_limits = (string[]?)null })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/keys/{key.Str("id")}", new { concurrent_requests = 9 })).ExpectAsync(HttpStatusCode.OK);

        await (await Admin.PostAsync($"/api/v1/config/versions/{good}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["requests_per_minute"], Names(await (await Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).ExpectAsync(HttpStatusCode.OK)));
        AssertLimits(await (await Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).ExpectAsync(HttpStatusCode.OK), 60, 6000, ["tokens_per_minute"]);
        Assert.Equal(new RateLimits(60, 6000) { Shadow = LimitKinds.TokensPerMinute }, Snapshot.Models[Guid.Parse(model.Str("id"))].Limits);
        Assert.Equal(9, (await (await Admin.GetAsync($"/api/v1/keys/{key.Str("id")}")).JsonAsync()).GetProperty("concurrent_requests").GetInt32());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_limit_field_and_that_shadow_limits_takes_null()
    {
        using var client = server.App.CreateClient();
        var schemas = (await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK)).GetProperty("components").GetProperty("schemas");

        string[] perMinute = ["requests_per_minute", "tokens_per_minute", "shadow_limits"];
        foreach (var (schema, fields) in new[]
        {
            ("ProviderChanges", perMinute), ("ProviderView", perMinute), ("ModelChanges", perMinute), ("ModelView", perMinute),
            ("VirtualKeyChanges", [.. perMinute, "concurrent_requests"]), ("VirtualKeyView", [.. perMinute, "concurrent_requests"]),
        })
        {
            var properties = schemas.GetProperty(schema).GetProperty("properties");
            Assert.All(fields, f => Assert.True(properties.TryGetProperty(f, out _), $"{schema} lacks {f}"));
        }

        Assert.Contains("`budget`", schemas.GetProperty("VirtualKeyChanges").GetProperty("properties").GetProperty("shadow_limits").Str("description"), StringComparison.Ordinal);
        Assert.Equal(["array", "null"], schemas.GetProperty("OptionalOfString[]").GetProperty("type").EnumerateArray().Select(t => t.GetString()).Order());
    }

    private static void AssertLimits(JsonElement holder, long? requests, long? tokens, string[] shadow)
    {
        Assert.Equal(requests, Number(holder, "requests_per_minute"));
        Assert.Equal(tokens, Number(holder, "tokens_per_minute"));
        Assert.Equal(shadow, Names(holder));
    }

    private static void AssertKeyLimits(JsonElement key, long? requests, long? tokens, long? concurrent, string[] shadow)
    {
        AssertLimits(key, requests, tokens, shadow);
        Assert.Equal(concurrent, Number(key, "concurrent_requests"));
    }

    private static long? Number(JsonElement holder, string field) =>
        holder.GetProperty(field) is { ValueKind: JsonValueKind.Number } number ? number.GetInt64() : null;

    private static string[] Names(JsonElement holder) => [.. holder.GetProperty("shadow_limits").EnumerateArray().Select(n => n.GetString()!)];

    private static JsonElement After(JsonElement fields, string field) => fields.GetProperty(field).GetProperty("after");

    private async Task<JsonElement> ListedAsync(string url, string id) =>
        (await (await Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Single(e => e.Str("id") == id);

    // The fields of the one change the latest version made.
    private async Task<JsonElement> LatestDiffFieldsAsync()
    {
        var diff = await (await Admin.GetAsync($"/api/v1/config/versions/{Snapshot.Version}/diff")).ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(diff.GetProperty("changes").EnumerateArray()).GetProperty("fields");
    }
}

public sealed class LimitFieldsApiTests_Sqlite(SqliteServer server) : LimitFieldsApiTests<SqliteServer>(server);

public sealed class LimitFieldsApiTests_Postgres(PostgresServer server) : LimitFieldsApiTests<PostgresServer>(server);
