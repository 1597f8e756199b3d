using System.Net;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class ProvidersApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private const string Key = "sk-ant-api03-ProvidersApiTests-abcdefghijklmnopXwAA";
    private HttpClient Admin => server.Admin;

    [Fact]
    public async Task Create_ReturnsCreatedWithLocationETagAndOnlyAMaskOfTheKey()
    {
        var name = Catalog.Unique("anthropic");
        var response = await Admin.PostJsonAsync("/api/v1/llm-providers", new { name, type = "anthropic", api_key = Key, requests_per_minute = 60 });

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal($"/api/v1/llm-providers/{body.Str("id")}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(name, body.Str("name"));
        Assert.True(body.GetProperty("has_api_key").GetBoolean());
        Assert.Equal("sk-ant-a...XwAA", body.Str("api_key_mask"));
        Assert.Equal(60, body.GetProperty("requests_per_minute").GetInt32());
        Assert.DoesNotContain("ProvidersApiTests", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_PartialBody_ChangesOnlyTheGivenFieldsAndBumpsTheETag()
    {
        var created = await Admin.CreateProviderAsync("openai", apiKey: Key);
        var url = $"/api/v1/llm-providers/{created.Str("id")}";

        var response = await Admin.PutJsonAsync(url, new { is_active = false, tokens_per_minute = 100000 });
        var updated = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.False(updated.GetProperty("is_active").GetBoolean());
        Assert.Equal(100000, updated.GetProperty("tokens_per_minute").GetInt64());
        Assert.Equal(created.Str("name"), updated.Str("name"));
        Assert.Equal("sk-ant-a...XwAA", updated.Str("api_key_mask"));
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Update_ApiKeyNull_ClearsTheKey_AndANewKeyReplacesIt()
    {
        var created = await Admin.CreateProviderAsync("openai", apiKey: Key);
        var url = $"/api/v1/llm-providers/{created.Str("id")}";

        var cleared = await (await Admin.PutJsonAsync(url, new { api_key = (string?)null })).ExpectAsync(HttpStatusCode.OK);
        Assert.False(cleared.GetProperty("has_api_key").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("api_key_mask").ValueKind);

        var replaced = await (await Admin.PutJsonAsync(url, new { api_key = "sk-proj-replacement-key-000000000000ZZZZ" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("sk-proj-...ZZZZ", replaced.Str("api_key_mask"));
    }

    [Fact]
    public async Task Create_DuplicateName_Is409AndWritesNothing()
    {
        var created = await Admin.CreateProviderAsync();
        var before = (await (await Admin.GetAsync("/api/v1/llm-providers")).JsonAsync()).GetProperty("total").GetInt32();

        var body = await (await Admin.PostJsonAsync("/api/v1/llm-providers", new { name = created.Str("name"), type = "openai" })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains("already exists", body.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, (await (await Admin.GetAsync("/api/v1/llm-providers")).JsonAsync()).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/llm-providers/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/v1/llm-providers/not-a-guid")]
    public async Task Get_UnknownId_Is404(string url) =>
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync(url)).StatusCode);

    [Fact]
    public async Task Update_StaleIfMatch_Is412AndChangesNothing()
    {
        var created = await Admin.CreateProviderAsync();
        var url = $"/api/v1/llm-providers/{created.Str("id")}";
        await (await Admin.PutJsonAsync(url, new { requests_per_minute = 10 }, ifMatch: "\"1\"")).ExpectAsync(HttpStatusCode.OK);

        var stale = await (await Admin.PutJsonAsync(url, new { requests_per_minute = 20 }, ifMatch: "\"1\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);

        Assert.Contains("revision 2", stale.Str("detail"), StringComparison.Ordinal);
        var current = await (await Admin.GetAsync(url)).JsonAsync();
        Assert.Equal(10, current.GetProperty("requests_per_minute").GetInt32());
    }

    [Fact]
    public async Task Delete_ProviderWithModels_Is409ListingThem_AndForceDeletesThemWithTheirDefaults()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/agents/{Catalog.Unique("t")}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var url = $"/api/v1/llm-providers/{provider.Str("id")}";

        var refused = await (await Admin.DeleteAsync(url)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains(model.Str("model_id"), refused.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("agents/", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).StatusCode);

        await (await Admin.DeleteAsync(url + "?force=true")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).StatusCode);
    }

    [Fact]
    public async Task Deactivate_ProviderServingADefault_Is409NamingThePurpose_ForceClearsIt()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var agentType = Catalog.Unique("deact");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/agents/{agentType}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var url = $"/api/v1/llm-providers/{provider.Str("id")}";

        var refused = await (await Admin.PutJsonAsync(url, new { is_active = false })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"agents/{agentType}", refused.Str("detail"), StringComparison.Ordinal);
        Assert.True((await (await Admin.GetAsync(url)).JsonAsync()).GetProperty("is_active").GetBoolean());

        await (await Admin.PutJsonAsync(url + "?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var defaults = await (await Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.False(defaults.GetProperty("agent_types").TryGetProperty(agentType, out _));
    }

    [Fact]
    public async Task List_PagesWithTotal_AndRefusesAHugeLimit()
    {
        for (var i = 0; i < 3; i++)
        {
            await Admin.CreateProviderAsync();
        }

        var page = await (await Admin.GetAsync("/api/v1/llm-providers?limit=2&offset=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, page.GetProperty("data").GetArrayLength());
        Assert.True(page.GetProperty("total").GetInt32() >= 3);
        Assert.Equal(2, page.GetProperty("limit").GetInt32());

        var refused = await (await Admin.GetAsync("/api/v1/llm-providers?limit=1000000")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("limit", refused.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Create_AzureWithoutBaseUrl_Is400NamingBaseUrl()
    {
        var body = await (await Admin.PostJsonAsync("/api/v1/llm-providers", new { name = Catalog.Unique("azure"), type = "azure-openai" })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("required for type 'azure-openai'", body.GetProperty("errors").GetProperty("base_url")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mistral", "https://api.mistral.ai/v1")]
    [InlineData("groq", "https://api.groq.com/openai/v1")]
    [InlineData("deepseek", "https://api.deepseek.com/v1")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta/openai")]
    public async Task Create_PresetWithoutBaseUrl_ResolvesToItsPublicAddress_AndItsModelsStayUnpriced(string type, string address)
    {
        var provider = await Admin.CreateProviderAsync(type, apiKey: Key);
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var purpose = "agents/" + Catalog.Unique("preset");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);

        var resolved = await (await Admin.GetAsync($"/api/v1/llm-resolve?purpose={purpose}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(type, provider.Str("type"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, provider.GetProperty("base_url").ValueKind);
        Assert.Equal(type, resolved.GetProperty("provider").Str("type"));
        Assert.Equal(address, resolved.GetProperty("provider").Str("base_url"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, model.GetProperty("input_price_per_million").ValueKind);
    }

    [Theory]
    [InlineData("bedrock")]
    [InlineData("vllm")]
    public async Task Create_PresetWithoutAWellKnownAddress_WithoutBaseUrl_Is400NamingBaseUrl(string type)
    {
        var response = await Admin.PostJsonAsync("/api/v1/llm-providers", new { name = Catalog.Unique(type), type, api_key = Key });
        var body = await response.ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains($"required for type '{type}'", body.GetProperty("errors").GetProperty("base_url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BedrockWithItsRegionalEndpoint_KeepsTheAddress()
    {
        const string Regional = "https://bedrock-runtime.eu-west-1.amazonaws.com/openai/v1";

        var created = await Admin.CreateProviderAsync("bedrock", apiKey: Key, baseUrl: Regional);

        Assert.Equal("bedrock", created.Str("type"));
        Assert.Equal(Regional, created.Str("base_url"));
    }

    [Fact]
    public async Task Create_UnknownType_Is400ListingEveryKind()
    {
        var response = await Admin.PostJsonAsync("/api/v1/llm-providers", new { name = Catalog.Unique("x"), type = "mistralai" });
        var body = await response.ExpectAsync(HttpStatusCode.BadRequest);

        var message = body.GetProperty("errors").GetProperty("type")[0].GetString();
        Assert.Contains("openai-compatible", message, StringComparison.Ordinal);
        Assert.Contains("mistral, groq, deepseek", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsDefault_MovesToTheNewProvider_AndModelsWithoutProviderIdUseIt()
    {
        var first = await Admin.CreateProviderAsync();
        var second = await Admin.CreateProviderAsync();
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{first.Str("id")}", new { is_default = true })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{second.Str("id")}", new { is_default = true })).ExpectAsync(HttpStatusCode.OK);

        Assert.False((await (await Admin.GetAsync($"/api/v1/llm-providers/{first.Str("id")}")).JsonAsync()).GetProperty("is_default").GetBoolean());
        var model = await (await Admin.PostJsonAsync("/api/v1/llm-models", new { model_id = Catalog.Unique("m") })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(second.Str("id"), model.Str("provider_id"));
    }
}

public sealed class ProvidersApiTests_Sqlite(SqliteServer server) : ProvidersApiTests<SqliteServer>(server);

public sealed class ProvidersApiTests_Postgres(PostgresServer server) : ProvidersApiTests<PostgresServer>(server);
