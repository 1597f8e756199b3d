using System.Net;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class BadInputTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    public static TheoryData<string, string> BadProviderBodies => new()
    {
        { """{"name":"p","type":"openai","id":"00000000-0000-0000-0000-000000000001"}""", "id" },
        { """{"name":"p","type":"openai","created_at":"2020-01-01T00:00:00Z"}""", "created_at" },
        { """{"name":"p","type":"openai","has_api_key":true}""", "has_api_key" },
        { """{"name":"p","type":"openai","api_base":"http://evil.example"}""", "api_base" },
        { """{"name":"p","type":"openai","requests_per_minute":"abc"}""", "requests_per_minute" },
        { """{"name":"p","type":"openai","requests_per_minute":-1}""", "requests_per_minute" },
        { """{"name":"p","type":"openai","tokens_per_minute":0}""", "tokens_per_minute" },
        { """{"name":"p","type":"openai","requests_per_minute":1.5}""", "requests_per_minute" },
        { """{"name":"p","type":"openai","is_active":"yes"}""", "is_active" },
        { """{"name":"p","type":"openai","shadow_limits":["concurrent_requests"]}""", "shadow_limits" },
        { """{"name":"p","type":"openai","requests_per_minute":5,"shadow_limits":["budget"]}""", "shadow_limits" },
        { """{"name":42,"type":"openai"}""", "name" },
        { """{"name":"p","type":"not-a-provider-kind"}""", "type" },
        { """{"type":"openai"}""", "name" },
        { """{"name":"p\nq","type":"openai"}""", "name" },
        { """{"name":"   ","type":"openai"}""", "name" },
        { """{"name":"p","type":"openai","name":"q"}""", "name" },
        { """{"name":"p","type":"openai","base_url":"javascript:alert(1)"}""", "base_url" },
        { """{"name":"p","type":"openai","base_url":"http://169.254.169.254/"}""", "base_url" },
        { "{\"name\":\"" + new string('n', 10_000) + "\",\"type\":\"openai\"}", "name" },
    };

    public static TheoryData<string, string> BadModelBodies => new()
    {
        { """{"model_id":"m","temperature":3}""", "temperature" },
        { """{"model_id":"m","temperature":-0.5}""", "temperature" },
        { """{"model_id":"m","top_p":1.01}""", "top_p" },
        { """{"model_id":"m","input_price_per_million":-0.01}""", "input_price_per_million" },
        { """{"model_id":"m","output_price_per_million":"15"}""", "output_price_per_million" },
        { """{"model_id":"m","type":"completion"}""", "type" },
        { """{"model_id":"m","max_tokens":0}""", "max_tokens" },
        { """{"model_id":"m","context_window":-5}""", "context_window" },
        { """{"model_id":"m","default_for_agent_types":["Bad Type"]}""", "default_for_agent_types" },
        { """{"model_id":"m","is_default_for_chat":"true"}""", "is_default_for_chat" },
        { """{"model_id":"m","revision":7}""", "revision" },
        { """{"model_id":"m","provider_id":"not-a-uuid"}""", "provider_id" },
        { """{"model_id":"m","requests_per_minute":0}""", "requests_per_minute" },
        { """{"model_id":"m","tokens_per_minute":1000000000001}""", "tokens_per_minute" },
        { """{"model_id":"m","requests_per_minute":9,"shadow_limits":["budget"]}""", "shadow_limits" },
        { """{"model_id":"m","shadow_limits":["concurrent_requests"]}""", "shadow_limits" },
        { """{"model_id":"m","shadow_limits":{"requests_per_minute":true}}""", "shadow_limits" },
    };

    [Theory]
    [MemberData(nameof(BadProviderBodies))]
    public async Task CreateProvider_BadBody_Is400NamingTheField_AndChangesNothing(string body, string field)
    {
        var before = await CountsAsync();

        var problem = await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/llm-providers", body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.DoesNotContain("System.", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [MemberData(nameof(BadModelBodies))]
    public async Task UpdateModel_BadBody_Is400NamingTheField_AndChangesNothing(string body, string field)
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var url = $"/api/v1/llm-models/{model.Str("id")}";
        var before = await CountsAsync();

        var problem = await (await Admin.SendRawAsync(HttpMethod.Put, url, body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await CountsAsync());
        var after = System.Text.Json.Nodes.JsonNode.Parse((await (await Admin.GetAsync(url)).JsonAsync()).GetRawText())!.AsObject();
        after.Remove("scorecard");
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(model.GetRawText())!.ToJsonString(), after.ToJsonString());
    }

    [Theory]
    [InlineData("{\"name\":")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task CreateProvider_MalformedJson_Is400WithAReadableMessage(string body)
    {
        var problem = await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/llm-providers", body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Matches("JSON|body", problem.Str("detail"));
    }

    [Fact]
    public async Task CreateProvider_NotJsonContentType_Is415()
    {
        var problem = await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/llm-providers", "name=x", "application/x-www-form-urlencoded")).ExpectAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProvider_BodyOverOneMebibyte_Is413AndChangesNothing()
    {
        var before = await CountsAsync();
        var body = "{\"name\":\"big\",\"type\":\"openai\",\"base_url\":\"https://x/" + new string('a', 1024 * 1024) + "\"}";

        await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/llm-providers", body)).ExpectAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE llm_providers;--")]
    [InlineData("{{7*7}}")]
    [InlineData("os.environ/OPENAI_API_KEY")]
    [InlineData("${jndi:ldap://127.0.0.1/a}")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("名前 — ünïcødé")]
    public async Task HostileLookingStrings_AreStoredLiterally(string text)
    {
        var name = text + " " + Catalog.Unique("x");
        var provider = await (await Admin.PostJsonAsync("/api/v1/llm-providers", new { name, type = "openai" })).ExpectAsync(HttpStatusCode.Created);
        var model = await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = name, display_name = text })).ExpectAsync(HttpStatusCode.Created);

        var readProvider = await (await Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        var readModel = await (await Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(name, readProvider.Str("name"));
        Assert.Equal(name, readModel.Str("model_id"));
        Assert.Equal(text, readModel.Str("display_name"));
    }

    [Fact]
    public async Task UnknownQueryValues_AreRefusedNotIgnored()
    {
        await (await Admin.GetAsync("/api/v1/llm-providers?limit=abc")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync("/api/v1/llm-providers?offset=-1")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync("/api/v1/audit?limit=0")).ExpectAsync(HttpStatusCode.BadRequest);
        var provider = await Admin.CreateProviderAsync();
        await (await Admin.DeleteAsync($"/api/v1/llm-providers/{provider.Str("id")}?force=perhaps")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).StatusCode);
    }

    private async Task<(int Providers, int Models, int Audit)> CountsAsync()
    {
        var providers = (await (await Admin.GetAsync("/api/v1/llm-providers?limit=1")).JsonAsync()).GetProperty("total").GetInt32();
        var models = (await (await Admin.GetAsync("/api/v1/llm-models?limit=1")).JsonAsync()).GetProperty("total").GetInt32();
        var audit = (await (await Admin.GetAsync("/api/v1/audit?limit=1")).JsonAsync()).GetProperty("total").GetInt32();
        return (providers, models, audit);
    }
}

public sealed class BadInputTests_Sqlite(SqliteServer server) : BadInputTests<SqliteServer>(server);

public sealed class BadInputTests_Postgres(PostgresServer server) : BadInputTests<PostgresServer>(server);
