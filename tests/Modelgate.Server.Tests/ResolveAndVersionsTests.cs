using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Modelgate.Core.Resolution;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class ResolveAndVersionsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    private async Task<(string AgentType, string ModelA, string ModelB)> TwoCandidatesAsync()
    {
        var providerA = await Admin.CreateProviderAsync("anthropic", apiKey: "sk-ant-api03-candidate-A-00000000000AAAA");
        var providerB = await Admin.CreateProviderAsync("openai", apiKey: "sk-proj-candidate-B-000000000000000BBBB");
        return (Catalog.Unique("flip"), (await Admin.CreateModelAsync(providerA.Str("id"))).Str("id"), (await Admin.CreateModelAsync(providerB.Str("id"))).Str("id"));
    }

    [Fact]
    public async Task Resolve_AfterTheApiReturns_TheNextResolutionSeesTheChange()
    {
        var (agentType, a, b) = await TwoCandidatesAsync();
        var purpose = $"agents/{agentType}";

        for (var i = 0; i < 10; i++)
        {
            var target = i % 2 == 0 ? a : b;
            await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = target })).ExpectAsync(HttpStatusCode.OK);

            Assert.Equal(target, server.App.Resolver.Resolve(purpose).Model.Id.ToString());
            var view = await (await Admin.GetAsync($"/api/v1/llm-resolve?purpose={purpose}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(target, view.GetProperty("model").Str("id"));
        }
    }

    [Fact]
    public async Task Resolve_ReadersHammeringWhileDefaultsFlip_NeverSeeStaleOrMixedResults()
    {
        var (agentType, a, b) = await TwoCandidatesAsync();
        var purpose = $"agents/{agentType}";
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = a })).ExpectAsync(HttpStatusCode.OK);
        var keyOf = new Dictionary<string, string> { [a] = "sk-ant-api03-candidate-A-00000000000AAAA", [b] = "sk-proj-candidate-B-000000000000000BBBB" };
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            long lastVersion = 0;
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var resolved = server.App.Resolver.Resolve(purpose);
                Assert.Equal(keyOf[resolved.Model.Id.ToString()], resolved.ApiKey);
                Assert.True(resolved.CatalogVersion >= lastVersion);
                lastVersion = resolved.CatalogVersion;
                reads++;
            }

            return reads;
        }, TaskCreationOptions.LongRunning)).ToList();

        var stale = 0;
        for (var i = 0; i < 20; i++)
        {
            var target = i % 2 == 0 ? b : a;
            await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = target })).ExpectAsync(HttpStatusCode.OK);
            stale += server.App.Resolver.Resolve(purpose).Model.Id.ToString() == target ? 0 : 1;
        }

        stop.Cancel();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
        Assert.Equal(0, stale);
    }

    [Fact]
    public async Task ResolveApi_ShowsProvenanceAndOnlyAMaskedKey()
    {
        var (agentType, a, _) = await TwoCandidatesAsync();
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/agents/{agentType}", new { model_id = a })).ExpectAsync(HttpStatusCode.OK);

        var response = await Admin.GetAsync("/api/v1/llm-resolve");
        var all = await response.ExpectAsync(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();

        var view = all.GetProperty($"agents/{agentType}");
        Assert.True(view.GetProperty("resolved").GetBoolean());
        Assert.Equal("database", view.Str("source"));
        Assert.Equal("sk-ant-a...AAAA", view.Str("api_key_mask"));
        Assert.Contains("the default for", view.Str("reason"), StringComparison.Ordinal);
        Assert.DoesNotContain("candidate-A", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveApi_UnconfiguredPurpose_SaysWhatToConfigure_AndBadNamesAre400()
    {
        var view = await (await Admin.GetAsync("/api/v1/llm-resolve?purpose=embeddings")).ExpectAsync(HttpStatusCode.OK);
        // No test of this class sets an embeddings default, and the fixture clears the environment keys.
        Assert.False(view.GetProperty("resolved").GetBoolean());
        Assert.Contains("PUT /api/v1/llm-defaults/embeddings", view.Str("error"), StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", view.Str("error"), StringComparison.Ordinal);

        await (await Admin.GetAsync("/api/v1/llm-resolve?purpose=Agents")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task EveryChange_PublishesAVersionSayingWhoAndWhat()
    {
        var before = (await (await Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

        var provider = await Admin.CreateProviderAsync();
        var latest = (await (await Admin.GetAsync("/api/v1/config/versions?limit=1")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0];

        Assert.Equal(before + 1, latest.GetProperty("version").GetInt64());
        Assert.True(latest.GetProperty("is_current").GetBoolean());
        Assert.StartsWith("admin-token:", latest.Str("actor"), StringComparison.Ordinal);
        Assert.Contains($"provider.create '{provider.Str("name")}'", latest.Str("summary"), StringComparison.Ordinal);
        Assert.Equal(before + 1, server.App.Services.GetRequiredService<CurrentCatalog>().State.Snapshot.Version);
    }

    [Fact]
    public async Task Diff_ShowsChangedFields_AndTheKeyOnlyAsChanged()
    {
        var provider = await Admin.CreateProviderAsync("anthropic", apiKey: "sk-ant-api03-diff-old-000000000000000XwAA");
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { api_key = "sk-ant-api03-diff-new-000000000000000YwAA", requests_per_minute = 7 })).ExpectAsync(HttpStatusCode.OK);
        var version = (await (await Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

        var response = await Admin.GetAsync($"/api/v1/config/versions/{version}/diff");
        var diff = await response.ExpectAsync(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();

        var change = Assert.Single(diff.GetProperty("changes").EnumerateArray());
        Assert.Equal("changed", change.Str("kind"));
        Assert.Equal(provider.Str("name"), change.Str("name"));
        Assert.Equal(7, change.GetProperty("fields").GetProperty("requests_per_minute").GetProperty("after").GetInt32());
        Assert.Equal("(changed)", change.GetProperty("fields").GetProperty("api_key").Str("after"));
        Assert.DoesNotContain("diff-new", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mg1.", text, StringComparison.Ordinal);
        await (await Admin.GetAsync("/api/v1/config/versions/999999/diff")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rollback_PublishesANewVersionEqualToTheOldOne_KeysIncluded()
    {
        var (agentType, a, b) = await TwoCandidatesAsync();
        var purpose = $"agents/{agentType}";
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = a })).ExpectAsync(HttpStatusCode.OK);
        var good = server.App.Resolver.Resolve(purpose).CatalogVersion;
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = b })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.DeleteAsync($"/api/v1/llm-models/{a}?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        var published = await (await Admin.PostAsync($"/api/v1/config/versions/{good}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.True(published.GetProperty("version").GetInt64() > good + 1);
        var resolved = server.App.Resolver.Resolve(purpose);
        Assert.Equal(a, resolved.Model.Id.ToString());
        Assert.Equal("sk-ant-api03-candidate-A-00000000000AAAA", resolved.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/v1/llm-models/{a}")).StatusCode);
        await (await Admin.PostAsync("/api/v1/config/versions/999999/rollback", null)).ExpectAsync(HttpStatusCode.NotFound);
    }
}

public sealed class ResolveAndVersionsTests_Sqlite(SqliteServer server) : ResolveAndVersionsTests<SqliteServer>(server);

public sealed class ResolveAndVersionsTests_Postgres(PostgresServer server) : ResolveAndVersionsTests<PostgresServer>(server);
