using System.Net;
using System.Text.Json;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>/api/v1/config/plan and /apply, ownership and the console's warning, on both engines.</summary>
public abstract class ConfigFileApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private static object Document(string provider, string model, string purpose, string alias) => new
    {
        version = 1,
        providers = new[] { new { name = provider, type = "openai", api_key = "env:OPENAI_API_KEY" } },
        models = new[] { new { model = $"{provider}/{model}", parameters = new { temperature = 0.3 } } },
        defaults = new Dictionary<string, string> { [purpose] = $"{provider}/{model}" },
        aliases = new Dictionary<string, object> { [alias] = new { model = $"{provider}/{model}" } },
    };

    [Fact]
    public async Task Apply_PublishesOneVersionWithOneAuditEntry_TheSameDocumentAgainNothing_AndAStalePlanIsRefused()
    {
        var (provider, model, alias) = (Catalog.Unique("cfg"), Catalog.Unique("m"), Catalog.Unique("a"));
        var purpose = $"agents/{Catalog.Unique("t")}";
        var body = new { document = Document(provider, model, purpose, alias), keys = new Dictionary<string, string> { [provider] = "sk-cfg-0123456789abcdefgh" }, source = "team.yaml" };
        var plan = await (await server.Admin.PostJsonAsync("/api/v1/config/plan", body)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(plan.GetProperty("has_changes").GetBoolean());
        Assert.Equal(4, plan.GetProperty("changes").GetArrayLength()); // provider, model, default, alias
        Assert.DoesNotContain("sk-cfg", plan.GetRawText());

        // Someone changes the catalog after the plan: the apply based on it is refused, and writes nothing.
        await server.Admin.CreateProviderAsync("ollama", baseUrl: "http://127.0.0.1:11434");
        var stale = await server.Admin.PostJsonAsync("/api/v1/config/apply", new { body.document, body.keys, body.source, based_on_version = plan.GetProperty("based_on_version").GetInt64() });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed since the plan", (await stale.JsonAsync()).Str("detail"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/aliases/{alias}")).StatusCode);

        var applied = await (await server.Admin.PostJsonAsync("/api/v1/config/apply", body)).ExpectAsync(HttpStatusCode.OK);
        var version = applied.GetProperty("version").GetInt64();
        var again = await (await server.Admin.PostJsonAsync("/api/v1/config/apply", body)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, again.GetProperty("version").ValueKind);
        var versions = await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync();
        Assert.Equal(version, versions.GetProperty("data")[0].GetProperty("version").GetInt64());
        var resolved = await (await server.Admin.GetAsync($"/api/v1/llm-resolve?model={alias}")).JsonAsync();
        Assert.Contains(model, resolved.GetRawText());
        var audit = await (await server.Admin.GetAsync("/api/v1/audit?entity_type=config_file&limit=5")).JsonAsync();
        var entry = audit.GetProperty("data").EnumerateArray().First();
        Assert.Equal(64, entry.Str("entity_id").Length);
        Assert.DoesNotContain("sk-cfg", audit.GetRawText());
    }

    [Fact]
    public async Task AnOwnedObject_IsRefusedThroughTheApi_WarnedInTheConsole_AndARollbackBeforeTheApplyReleasesIt()
    {
        var (provider, model, alias) = (Catalog.Unique("own"), Catalog.Unique("m"), Catalog.Unique("a"));
        var before = (await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();
        var other = await server.Admin.CreateProviderAsync();
        var body = new { document = Document(provider, model, $"agents/{Catalog.Unique("t")}", alias), keys = new Dictionary<string, string> { [provider] = "sk-own-0123456789abcdefgh" }, source = "team.yaml" };
        await (await server.Admin.PostJsonAsync("/api/v1/config/apply", body)).ExpectAsync(HttpStatusCode.OK);
        var providers = await (await server.Admin.GetAsync("/api/v1/llm-providers?limit=200")).JsonAsync();
        var owned = providers.GetProperty("data").EnumerateArray().Single(p => p.Str("name") == provider).Str("id");

        var refused = await server.Admin.PutJsonAsync($"/api/v1/llm-providers/{owned}", new { is_active = false });
        var modelRefused = await server.Admin.PutJsonAsync($"/api/v1/llm-models/{model}", new { temperature = 1.0 });
        var free = await server.Admin.PutJsonAsync($"/api/v1/llm-providers/{other.Str("id")}", new { requests_per_minute = 7 });
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var ownedPage = await console.GetAsync($"/providers/{owned}");
        var freePage = await console.GetAsync($"/providers/{other.Str("id")}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("force_managed=true", (await refused.JsonAsync()).Str("detail"));
        Assert.Equal(HttpStatusCode.Conflict, modelRefused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.Contains("Managed by the configuration file team.yaml", ownedPage.Html);
        Assert.DoesNotContain("Managed by the configuration file", freePage.Html);

        // Ownership is catalog state: going back to the version before the apply takes it away with the objects.
        await (await server.Admin.PostJsonAsync($"/api/v1/config/versions/{before + 1}/rollback", new { })).ExpectAsync(HttpStatusCode.OK);
        var released = await server.Admin.PutJsonAsync($"/api/v1/llm-providers/{other.Str("id")}", new { requests_per_minute = 8 });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.DoesNotContain("Managed by", (await console.GetAsync($"/providers/{other.Str("id")}")).Html);
        var after = await (await server.Admin.GetAsync("/api/v1/llm-providers?limit=200")).JsonAsync();
        Assert.DoesNotContain(after.GetProperty("data").EnumerateArray(), p => p.Str("name") == provider);
    }
}

public sealed class ConfigFileApiTests_Sqlite(SqliteServer server) : ConfigFileApiTests<SqliteServer>(server);

public sealed class ConfigFileApiTests_Postgres(PostgresServer server) : ConfigFileApiTests<PostgresServer>(server);
