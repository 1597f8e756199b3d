using System.Net;
using System.Text.Json;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// Aliases through the admin API and the gateway: stored, versioned, diffed and rolled back like defaults; a call naming
/// an alias is served by its target alone; a deprecated alias says so; a key's allowed models reach an alias of theirs.
/// </summary>
public abstract class AliasesTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private async Task<long> VersionAsync() =>
        (await (await Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

    [Fact]
    public async Task PutGetListDelete_RoundTrip_WithRevisionsAndAudit()
    {
        var (modelId, id) = await ModelAsync("openai");
        var name = Catalog.Unique("smart");

        var created = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = modelId, description = "the clever one" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((name, id, modelId, "the clever one", false, 1), (created.Str("name"), created.Str("model_id"), created.Str("model_name"),
            created.Str("description"), created.GetProperty("deprecated").GetBoolean(), created.GetProperty("revision").GetInt32()));

        var read = await Admin.GetAsync($"/api/v1/aliases/{name}");
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        Assert.Equal(id, (await read.ExpectAsync(HttpStatusCode.OK)).Str("model_id"));
        Assert.Contains((await (await Admin.GetAsync("/api/v1/aliases")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray(), a => a.Str("name") == name);

        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, deprecated = true }, ifMatch: "\"7\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        var updated = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, deprecated = true }, ifMatch: "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, updated.GetProperty("revision").GetInt32());
        Assert.True(Server.App.Resolver.ResolveRequested(name).Alias!.Deprecated);

        await (await Admin.DeleteAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await Admin.DeleteAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=alias&entity_id={name}")).JsonAsync();
        var actions = audit.GetProperty("data").EnumerateArray().Where(e => e.Str("entity_id") == name).Select(e => e.Str("action")).ToList();
        Assert.Equal(["alias.create", "alias.delete", "alias.update"], actions.Order(StringComparer.Ordinal).ToList());
    }

    private Task<HttpResponseMessage> DeleteAsync(string url, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, url);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Admin.SendAsync(request);
    }

    [Fact]
    public async Task IfMatch_OnDelete_IsChecked_AndARevisionOfADeletedAliasIsStale()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("gone");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);

        await (await DeleteAsync($"/api/v1/aliases/{name}", "\"7\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK);
        await (await DeleteAsync($"/api/v1/aliases/{name}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        // Someone else deleted it after it was read at revision 1: the revision is stale, whether replacing or deleting.
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id }, ifMatch: "\"1\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await DeleteAsync($"/api/v1/aliases/{name}", "\"1\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id }, ifMatch: "\"0\"")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidAliases_Are400Or404_AndChangeNothing()
    {
        var (modelId, _) = await ModelAsync("openai");
        var (other, _) = await ModelAsync("openai");
        var before = await VersionAsync();

        var purpose = await (await Admin.PutJsonAsync("/api/v1/aliases/chat", new { model_id = modelId })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("purpose", purpose.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        await (await Admin.PutJsonAsync("/api/v1/aliases/agents/coder", new { model_id = modelId })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.PutJsonAsync("/api/v1/aliases/has%20space", new { model_id = modelId })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{new string('a', 201)}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.PutJsonAsync("/api/v1/aliases/fine", new { })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.PutJsonAsync("/api/v1/aliases/fine", new { model_id = modelId, colour = "red" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.PutJsonAsync("/api/v1/aliases/fine", new { model_id = "no-such-model" })).ExpectAsync(HttpStatusCode.NotFound);
        var taken = await (await Admin.PutJsonAsync($"/api/v1/aliases/{other}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("deprecation redirect", taken.Str("detail"), StringComparison.Ordinal);

        Assert.Equal(before, await VersionAsync());
        var names = (await (await Admin.GetAsync("/api/v1/aliases")).JsonAsync()).EnumerateArray().Select(a => a.Str("name")).ToList();
        Assert.DoesNotContain("fine", names);
        Assert.DoesNotContain(other, names);
    }

    [Fact]
    public async Task GatewayCall_ThroughAnAlias_IsServedByItsTargetAlone_OnEveryEndpoint()
    {
        var (chat, chatId) = await ModelAsync("openai");
        var (backup, _) = await ModelAsync("openai");
        var (embedding, _) = await ModelAsync("openai", type: "embedding");
        var name = Catalog.Unique("fast");
        var vectors = Catalog.Unique("vectors");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = chatId })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{vectors}", new { model_id = embedding })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync();
        var caller = Caller(key);

        var response = await caller.PostJsonAsync("/v1/chat/completions", Chat(name));
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(chat, response.Headers.GetValues("x-modelgate-model").Single());
        Assert.False(response.Headers.Contains("x-modelgate-deprecated"));
        await (await caller.PostJsonAsync("/v1/embeddings", new { model = vectors, input = "hello" })).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/responses", new { model = name, input = "hello" })).ExpectAsync(HttpStatusCode.OK);
        await (await caller.PostJsonAsync("/v1/embeddings", new { model = name, input = "hello" })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal([chat, embedding, chat], Upstream.Requests.Select(r => r.Model));
        Assert.DoesNotContain(backup, Upstream.Requests.Select(r => r.Model));
        var listed = (await (await caller.GetAsync("/v1/models")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Select(m => m.Str("id")).ToList();
        Assert.Contains(name, listed);
        Assert.Contains(vectors, listed);
        Assert.Equal(name, (await (await caller.GetAsync($"/v1/models/{name}")).ExpectAsync(HttpStatusCode.OK)).Str("id"));
    }

    [Fact]
    public async Task AliasOfAnInactiveModel_Is404NamingTheAlias_AndNotListed()
    {
        var (target, id) = await ModelAsync("openai");
        var name = Catalog.Unique("sleepy");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync();

        var refused = await (await Caller(key).PostJsonAsync("/v1/chat/completions", Chat(name))).ExpectAsync(HttpStatusCode.NotFound);

        Assert.Equal("model_not_found", refused.GetProperty("error").Str("code"));
        var message = refused.GetProperty("error").Str("message");
        Assert.Contains($"alias '{name}' -> model '{target}'", message, StringComparison.Ordinal);
        Assert.Contains("inactive", message, StringComparison.Ordinal);
        var listed = (await (await Caller(key).GetAsync("/v1/models")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Select(m => m.Str("id"));
        Assert.DoesNotContain(name, listed);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task AnthropicMessagesAndCountTokens_ThroughAnAlias_AreServedByTheTarget()
    {
        var (claude, id) = await ModelAsync("anthropic");
        var name = Catalog.Unique("claudy");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, deprecated = true })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync();
        using var caller = Caller(key);
        var messages = new[] { new { role = "user", content = "hi" } };

        var response = await caller.PostJsonAsync("/v1/messages", new { model = name, max_tokens = 64, messages });
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"{name} -> {claude}", response.Headers.GetValues("x-modelgate-deprecated").Single());
        var counted = await caller.PostJsonAsync("/v1/messages/count_tokens", new { model = name, messages });
        Assert.True((await counted.ExpectAsync(HttpStatusCode.OK)).GetProperty("input_tokens").GetInt64() > 0);

        Assert.Equal([("/v1/messages", claude), ("/v1/messages/count_tokens", claude)], Upstream.Requests.Select(r => (r.Path, r.Model)));
    }

    [Fact]
    public async Task DeprecatedAlias_NamedLikeTheOldModel_RedirectsAndSaysSoInAHeader()
    {
        var (old, _) = await ModelAsync("openai");
        var (replacement, _) = await ModelAsync("openai");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{old}", new { model_id = replacement, deprecated = true })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync();

        var response = await Caller(key).PostJsonAsync("/v1/chat/completions", Chat(old));

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(replacement, response.Headers.GetValues("x-modelgate-model").Single());
        Assert.Equal($"{old} -> {replacement}", response.Headers.GetValues("x-modelgate-deprecated").Single());
        Assert.Equal([replacement], Upstream.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task ModelShadowedByADeprecatedAlias_IsListedOnlyAsTheAlias_AndAKeyAllowedTheOldIdIsToldWhereItLeads()
    {
        var (old, _) = await ModelAsync("openai");
        var (replacement, _) = await ModelAsync("openai");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{old}", new { model_id = replacement, deprecated = true })).ExpectAsync(HttpStatusCode.OK);
        var (oldOnly, _) = await KeyAsync(new { allowed_models = new[] { old } });
        var (newOnly, _) = await KeyAsync(new { allowed_models = new[] { replacement } });
        var (anything, _) = await KeyAsync();

        async Task<List<JsonElement>> ListedAsync(string key) =>
            (await (await Caller(key).GetAsync("/v1/models")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Where(m => m.Str("id") == old).ToList();

        Assert.Empty(await ListedAsync(oldOnly));
        await (await Caller(oldOnly).GetAsync($"/v1/models/{old}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("modelgate", Assert.Single(await ListedAsync(newOnly)).Str("owned_by"));
        Assert.Equal("modelgate", Assert.Single(await ListedAsync(anything)).Str("owned_by"));

        var refused = await (await Caller(oldOnly).PostJsonAsync("/v1/chat/completions", Chat(old))).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("model_not_allowed", refused.GetProperty("error").Str("code"));
        Assert.Contains($"'{old}' is now an alias of '{replacement}'; this key may not use '{replacement}'", refused.GetProperty("error").Str("message"), StringComparison.Ordinal);
        await (await Caller(newOnly).PostJsonAsync("/v1/chat/completions", Chat(old))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([replacement], Upstream.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task KeyAllowList_ReachesAnAliasOfAnAllowedModel_NotOthers_AndPurposesOnlyReachNone()
    {
        var (allowed, allowedId) = await ModelAsync("openai");
        var (other, _) = await ModelAsync("openai");
        var good = Catalog.Unique("good");
        var bad = Catalog.Unique("bad");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{good}", new { model_id = allowedId })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{bad}", new { model_id = other })).ExpectAsync(HttpStatusCode.OK);
        var (byModel, _) = await KeyAsync(new { allowed_models = new[] { allowed } });
        var (byPurpose, _) = await KeyAsync(new { allowed_purposes = new[] { "chat" } });

        await (await Caller(byModel).PostJsonAsync("/v1/chat/completions", Chat(good))).ExpectAsync(HttpStatusCode.OK);
        var refused = await (await Caller(byModel).PostJsonAsync("/v1/chat/completions", Chat(bad))).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("model_not_allowed", refused.GetProperty("error").Str("code"));
        await (await Caller(byPurpose).PostJsonAsync("/v1/chat/completions", Chat(good))).ExpectAsync(HttpStatusCode.Forbidden);

        var listed = (await (await Caller(byModel).GetAsync("/v1/models")).JsonAsync()).GetProperty("data").EnumerateArray().Select(m => m.Str("id")).ToList();
        Assert.Contains(good, listed);
        Assert.DoesNotContain(bad, listed);
        var purposeListed = (await (await Caller(byPurpose).GetAsync("/v1/models")).JsonAsync()).GetProperty("data").EnumerateArray().Select(m => m.Str("id"));
        Assert.DoesNotContain(good, purposeListed);
        Assert.Equal([allowed], Upstream.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task AliasChange_IsDiffed_AndRolledBack()
    {
        var (a, aId) = await ModelAsync("openai");
        var (b, bId) = await ModelAsync("openai");
        var name = Catalog.Unique("roll");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = aId })).ExpectAsync(HttpStatusCode.OK);
        var good = await VersionAsync();
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = bId, description = "moved" })).ExpectAsync(HttpStatusCode.OK);

        var diff = await (await Admin.GetAsync($"/api/v1/config/versions/{await VersionAsync()}/diff")).ExpectAsync(HttpStatusCode.OK);
        var change = Assert.Single(diff.GetProperty("changes").EnumerateArray());
        Assert.Equal(("changed", "alias", name), (change.Str("kind"), change.Str("entity"), change.Str("name")));
        Assert.Equal($"{a} ({aId})", change.GetProperty("fields").GetProperty("model").Str("before"));
        Assert.Equal($"{b} ({bId})", change.GetProperty("fields").GetProperty("model").Str("after"));
        Assert.Equal(b, Server.App.Resolver.ResolveRequested(name).Model.ModelId);

        await (await Admin.PostAsync($"/api/v1/config/versions/{good}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(a, Server.App.Resolver.ResolveRequested(name).Model.ModelId);
        var restored = await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, restored.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task DeactivatingOrRetypingTheTargetModel_IsRefusedWhileAnAliasPointsAtIt_UnlessForced()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("kept");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var before = await VersionAsync();

        var inactive = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}", new { is_active = false })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"alias '{name}'", inactive.Str("detail"), StringComparison.Ordinal);
        Assert.True(inactive.GetProperty("errors").TryGetProperty("is_active", out _));
        var retyped = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}", new { type = "embedding" })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"alias '{name}'", retyped.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        Assert.True((await (await Admin.GetAsync($"/api/v1/llm-models/{id}")).JsonAsync()).GetProperty("is_active").GetBoolean());

        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK)).Str("model_id"));
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}", new { is_active = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, Server.App.Resolver.ResolveRequested(name).Model.Id.ToString());
    }

    [Fact]
    public async Task ForceDeletedTarget_ComesBackWithItsAlias_OnRollback()
    {
        var (target, id) = await ModelAsync("openai");
        var name = Catalog.Unique("back");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var good = await VersionAsync();
        await (await Admin.DeleteAsync($"/api/v1/llm-models/{id}?force=true")).ExpectAsync(HttpStatusCode.NoContent);
        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);

        await (await Admin.PostAsync($"/api/v1/config/versions/{good}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(id, (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK)).Str("model_id"));
        Assert.Equal(target, Server.App.Resolver.ResolveRequested(name).Model.ModelId);
    }

    [Fact]
    public async Task ForceDeletingTheProvider_RemovesItsModelsAliases()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("orphan");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var provider = (await (await Admin.GetAsync($"/api/v1/llm-models/{id}")).ExpectAsync(HttpStatusCode.OK)).Str("provider_id");

        await (await Admin.DeleteAsync($"/api/v1/llm-providers/{provider}?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Throws<Core.Resolution.ModelgateConfigurationException>(() => Server.App.Resolver.ResolveRequested(name));
    }

    [Fact]
    public async Task AliasShadowedByAModelCreatedLater_GivesWayToTheModel_AtTheGatewayAndInTheListing()
    {
        var (elsewhere, elsewhereId) = await ModelAsync("openai");
        var name = Catalog.Unique("shadow");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = elsewhereId })).ExpectAsync(HttpStatusCode.OK);
        await ModelAsync("openai", modelId: name);
        var (key, _) = await KeyAsync();

        await (await Caller(key).PostJsonAsync("/v1/chat/completions", Chat(name))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([name], Upstream.Requests.Select(r => r.Model));
        var listed = (await (await Caller(key).GetAsync("/v1/models")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Where(m => m.Str("id") == name);
        Assert.NotEqual("modelgate", Assert.Single(listed).Str("owned_by"));
        Assert.NotEqual(elsewhere, name);
    }

    [Fact]
    public async Task DeletingTheTargetModel_IsRefusedWhileAnAliasPointsAtIt_AndForceRemovesTheAlias()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("held");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);

        var refused = await (await Admin.DeleteAsync($"/api/v1/llm-models/{id}")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"'{name}'", refused.Str("detail"), StringComparison.Ordinal);
        await (await Admin.DeleteAsync($"/api/v1/llm-models/{id}?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
    }
}

public sealed class AliasesTests_Sqlite(SqliteServer server) : AliasesTests<SqliteServer>(server);

public sealed class AliasesTests_Postgres(PostgresServer server) : AliasesTests<PostgresServer>(server);
