using System.Net;
using System.Net.Http.Headers;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class AuthAndAuditTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer " + ModelgateApp.AdminToken + "x")]
    [InlineData("Basic " + ModelgateApp.AdminToken)]
    public async Task AdminApi_WithoutTheRightToken_Is401AndChangesNothing(string? authorization)
    {
        using var client = server.App.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var list = await client.GetAsync("/api/v1/llm-providers");
        var create = await client.PostJsonAsync("/api/v1/llm-providers", new { name = Catalog.Unique("unauth"), type = "openai" });

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal("Bearer", list.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain(ModelgateApp.AdminToken, await create.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await (await Admin.GetAsync("/api/v1/audit?entity_type=provider&limit=200")).JsonAsync();
        Assert.DoesNotContain(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("after").ToString().Contains("unauth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/v1/llm-models")]
    [InlineData("/api/v1/llm-defaults")]
    [InlineData("/api/v1/audit")]
    public async Task EveryAdminRoute_RequiresTheToken(string url)
    {
        using var client = server.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Changes_AreAuditedWithActorBeforeAndAfter()
    {
        var provider = await Admin.CreateProviderAsync();
        var id = provider.Str("id");
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{id}", new { requests_per_minute = 42 })).ExpectAsync(HttpStatusCode.OK);

        var page = await (await Admin.GetAsync($"/api/v1/audit?entity_type=provider&entity_id={id}")).ExpectAsync(HttpStatusCode.OK);
        var entries = page.GetProperty("data").EnumerateArray().ToList();

        Assert.Equal(["provider.update", "provider.create"], entries.Select(e => e.Str("action")));
        Assert.All(entries, e => Assert.StartsWith("admin-token:", e.Str("actor"), StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain(ModelgateApp.AdminToken, e.ToString(), StringComparison.Ordinal));
        var update = entries[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, update.GetProperty("before").GetProperty("requests_per_minute").ValueKind);
        Assert.Equal(42, update.GetProperty("after").GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, entries[1].GetProperty("before").ValueKind);
    }

    [Fact]
    public async Task RefusedChange_LeavesNoAuditRow()
    {
        var provider = await Admin.CreateProviderAsync();
        var embedding = await Admin.CreateModelAsync(provider.Str("id"), type: "embedding");
        var before = (await (await Admin.GetAsync("/api/v1/audit?limit=1")).JsonAsync()).GetProperty("total").GetInt32();

        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{embedding.Str("id")}", new { display_name = "renamed", is_default_for_chat = true })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, (await (await Admin.GetAsync("/api/v1/audit?limit=1")).JsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await (await Admin.GetAsync($"/api/v1/llm-models/{embedding.Str("id")}")).JsonAsync()).GetProperty("display_name").ValueKind);
    }

    [Fact]
    public async Task Audit_PagesNewestFirst()
    {
        for (var i = 0; i < 4; i++)
        {
            await Admin.CreateProviderAsync();
        }

        var first = await (await Admin.GetAsync("/api/v1/audit?limit=2")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await Admin.GetAsync("/api/v1/audit?limit=2&offset=2")).ExpectAsync(HttpStatusCode.OK);

        var ids = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task OpenApiDocument_AndReferencePage_AreServed()
    {
        using var client = server.App.CreateClient();

        var document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var page = await client.GetAsync("/scalar");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/llm-providers/{provider_id}", paths);
        Assert.Contains("/api/v1/llm-models/{model_id}", paths);
        Assert.Contains("/api/v1/llm-defaults/{purpose}", paths);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}

public sealed class AuthAndAuditTests_Sqlite(SqliteServer server) : AuthAndAuditTests<SqliteServer>(server);

public sealed class AuthAndAuditTests_Postgres(PostgresServer server) : AuthAndAuditTests<PostgresServer>(server);
