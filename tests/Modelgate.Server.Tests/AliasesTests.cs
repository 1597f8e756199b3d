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
        var revision = created.GetProperty("revision").GetInt32();
        Assert.Equal((name, id, modelId, "the clever one", false), (created.Str("name"), created.Str("model_id"), created.Str("model_name"),
            created.Str("description"), created.GetProperty("deprecated").GetBoolean()));
        // An alias's revision is the catalog version that last changed it.
        Assert.Equal(await VersionAsync(), revision);

        var read = await Admin.GetAsync($"/api/v1/aliases/{name}");
        Assert.Equal($"\"{revision}\"", read.Headers.ETag!.Tag);
        Assert.Equal(id, (await read.ExpectAsync(HttpStatusCode.OK)).Str("model_id"));
        Assert.Contains((await (await Admin.GetAsync("/api/v1/aliases")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray(), a => a.Str("name") == name);

        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, deprecated = true }, ifMatch: $"\"{revision + 1000}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        var updated = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, deprecated = true }, ifMatch: $"\"{revision}\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(await VersionAsync(), updated.GetProperty("revision").GetInt32());
        Assert.True(updated.GetProperty("revision").GetInt32() > revision);
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

    private async Task<int> RevisionAsync(string name) =>
        (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("revision").GetInt32();

    [Fact]
    public async Task IfMatch_OnDelete_IsChecked_AndARevisionOfADeletedAliasIsStale()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("gone");
        var revision = (await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK)).GetProperty("revision").GetInt32();

        await (await DeleteAsync($"/api/v1/aliases/{name}", $"\"{revision + 1000}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK);
        await (await DeleteAsync($"/api/v1/aliases/{name}", $"\"{revision}\"")).ExpectAsync(HttpStatusCode.NoContent);

        // Someone else deleted it after it was read: the revision is stale, whether replacing or deleting.
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id }, ifMatch: $"\"{revision}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await DeleteAsync($"/api/v1/aliases/{name}", $"\"{revision}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id }, ifMatch: "\"0\"")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RecreatedAlias_NeverComesBackAtARevisionReadBefore_NorDoesOneRestoredByRollback()
    {
        var (_, a) = await ModelAsync("openai");
        var (_, b) = await ModelAsync("openai");
        var name = Catalog.Unique("again");
        var first = (await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = a })).ExpectAsync(HttpStatusCode.OK)).GetProperty("revision").GetInt32();
        var withFirst = await VersionAsync();
        await (await Admin.DeleteAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NoContent);

        // Deleted and created again (by someone else): a caller holding the first revision must not overwrite the new alias.
        var second = (await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = b })).ExpectAsync(HttpStatusCode.OK)).GetProperty("revision").GetInt32();
        Assert.True(second > first, $"revision {second} after {first}");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = a, description = "stale" }, ifMatch: $"\"{first}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await DeleteAsync($"/api/v1/aliases/{name}", $"\"{first}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(b, (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).JsonAsync()).Str("model_id"));

        // Rolled back to the first alias (deleted meanwhile, then recreated by the rollback): a revision no one read before.
        await (await Admin.DeleteAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await Admin.PostAsync($"/api/v1/config/versions/{withFirst}/rollback", null)).ExpectAsync(HttpStatusCode.OK);
        var restored = await RevisionAsync(name);
        Assert.Equal(await VersionAsync(), restored);
        Assert.True(restored > second, $"revision {restored} after {second}");
        await (await DeleteAsync($"/api/v1/aliases/{name}", $"\"{first}\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task PutThatChangesNothing_PublishesNoVersion_AndKeepsTheRevision()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("same");
        var revision = (await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, description = "d" })).ExpectAsync(HttpStatusCode.OK)).GetProperty("revision").GetInt32();
        var before = await VersionAsync();

        var again = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, description = "d" }, ifMatch: $"\"{revision}\"")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(revision, again.GetProperty("revision").GetInt32());
        Assert.Equal(before, await VersionAsync());
        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=alias&entity_id={name}")).JsonAsync();
        Assert.Single(audit.GetProperty("data").EnumerateArray(), e => e.Str("entity_id") == name);
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
    public async Task PutAlias_WithAModelIdSeveralProvidersOffer_Is409_AndTheIdIsAccepted()
    {
        var (shared, id) = await ModelAsync("openai");
        var other = await Admin.CreateProviderAsync("openai", apiKey: "sk-upstream-0000000000000000USG", baseUrl: Upstream.Url + "/v1");
        await Admin.CreateModelAsync(other.Str("id"), modelId: shared);
        var name = Catalog.Unique("which");
        var before = await VersionAsync();

        var refused = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = shared })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains("several providers", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
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
    public async Task CreatingOrRenamingAModelToAnAliasName_Is409OnModelId_NamingTheAliasAndItsTarget_AndChangesNothing()
    {
        var (target, targetId) = await ModelAsync("openai");
        var (old, _) = await ModelAsync("openai");
        var (replacement, replacementId) = await ModelAsync("openai");
        var (_, renamedId) = await ModelAsync("openai");
        var plain = Catalog.Unique("shadow");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{plain}", new { model_id = targetId })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{old}", new { model_id = replacementId, deprecated = true })).ExpectAsync(HttpStatusCode.OK);
        var provider = (await Admin.CreateProviderAsync("openai", apiKey: "sk-upstream-0000000000000000USG", baseUrl: Upstream.Url + "/v1")).Str("id");
        var before = await VersionAsync();

        var created = await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider, model_id = plain })).ExpectAsync(HttpStatusCode.Conflict);
        var message = Assert.Single(created.GetProperty("errors").GetProperty("model_id").EnumerateArray()).GetString();
        Assert.Contains($"alias '{plain}' -> model '{target}'", message, StringComparison.Ordinal);
        Assert.Contains($"DELETE /api/v1/aliases/{plain}", message, StringComparison.Ordinal);
        var again = await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider, model_id = old })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"deprecation alias '{old}' -> model '{replacement}'", again.Str("detail"), StringComparison.Ordinal);
        var renamed = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{renamedId}", new { model_id = plain })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"alias '{plain}' -> model '{target}'", renamed.GetProperty("errors").GetProperty("model_id")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(before, await VersionAsync());
        Assert.Equal(target, Server.App.Resolver.ResolveRequested(plain).Model.ModelId);
        Assert.Equal(plain, Server.App.Resolver.ResolveRequested(plain).Alias!.Name);
        Assert.NotEqual(plain, (await (await Admin.GetAsync($"/api/v1/llm-models/{renamedId}")).JsonAsync()).Str("model_id"));
        // Changing anything else of a model a deprecation alias is named after is not a rename.
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{old}", new { display_name = "retired" })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeprecatedAliasNamedLikeItsOwnTarget_Is400OnModelId()
    {
        var (model, id) = await ModelAsync("openai");
        var before = await VersionAsync();

        var refused = await (await Admin.PutJsonAsync($"/api/v1/aliases/{model}", new { model_id = id, deprecated = true })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("target itself", refused.GetProperty("errors").GetProperty("model_id")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        await (await Admin.GetAsync($"/api/v1/aliases/{model}")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutAlias_WithAnInactiveTargetOrOneOnAnInactiveProvider_Is409OnModelId_ButAKeptAliasMayStillBeEdited()
    {
        var (sleeping, sleepingId) = await ModelAsync("openai");
        var (orphaned, orphanedId) = await ModelAsync("openai");
        var (_, liveId) = await ModelAsync("openai");
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{sleepingId}", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var provider = (await (await Admin.GetAsync($"/api/v1/llm-models/{orphanedId}")).JsonAsync()).Str("provider_id");
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider}", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var name = Catalog.Unique("nowhere");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = liveId })).ExpectAsync(HttpStatusCode.OK);
        var before = await VersionAsync();

        var inactive = await (await Admin.PutJsonAsync($"/api/v1/aliases/{Catalog.Unique("new")}", new { model_id = sleepingId })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"model '{sleeping}' is inactive", inactive.GetProperty("errors").GetProperty("model_id")[0].GetString(), StringComparison.Ordinal);
        var onInactive = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = orphanedId })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"model '{orphaned}' belongs to inactive provider", onInactive.GetProperty("errors").GetProperty("model_id")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        Assert.Equal(liveId, (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).JsonAsync()).Str("model_id"));

        // Kept through its target's forced deactivation, the alias may still be described: only a new target is checked.
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{liveId}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var edited = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = liveId, description = "on hold" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("on hold", edited.Str("description"));
    }

    [Fact]
    public async Task AliasView_SaysWhatTheAliasResolvesToNow_OrWhyItCannot()
    {
        var (target, id) = await ModelAsync("openai");
        var name = Catalog.Unique("shown");
        var created = await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var provider = (await (await Admin.GetAsync($"/api/v1/llm-models/{id}")).JsonAsync()).Str("provider_name");

        Assert.Equal((target, provider), (created.GetProperty("resolves_to").Str("model"), created.GetProperty("resolves_to").Str("provider")));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("resolve_error").ValueKind);

        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var listed = (await (await Admin.GetAsync("/api/v1/aliases")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Single(a => a.Str("name") == name);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("resolves_to").ValueKind);
        Assert.Contains($"alias '{name}' -> model '{target}'", listed.Str("resolve_error"), StringComparison.Ordinal);
        Assert.Contains("inactive", (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).JsonAsync()).Str("resolve_error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlmResolve_WithModel_ResolvesAnAliasAModelAndAPurposeLikeTheGateway_OrSaysWhyNot()
    {
        var (target, id) = await ModelAsync("openai");
        var name = Catalog.Unique("asked");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id, deprecated = true })).ExpectAsync(HttpStatusCode.OK);

        var alias = await (await Admin.GetAsync($"/api/v1/llm-resolve?model={name}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(alias.GetProperty("resolved").GetBoolean());
        Assert.Equal((target, "chat", name, true), (alias.GetProperty("model").Str("model_id"), alias.Str("purpose"),
            alias.GetProperty("alias").Str("name"), alias.GetProperty("alias").GetProperty("deprecated").GetBoolean()));
        Assert.StartsWith($"alias '{name}' -> model '{target}'", alias.Str("reason"), StringComparison.Ordinal);

        var model = await (await Admin.GetAsync($"/api/v1/llm-resolve?model={target}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(target, model.GetProperty("model").Str("model_id"));
        Assert.Equal(JsonValueKind.Null, model.GetProperty("alias").ValueKind);
        Assert.Equal("embeddings", (await (await Admin.GetAsync("/api/v1/llm-resolve?model=embeddings")).ExpectAsync(HttpStatusCode.OK)).Str("purpose"));

        var unknown = await (await Admin.GetAsync($"/api/v1/llm-resolve?model={Catalog.Unique("nothing")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(unknown.GetProperty("resolved").GetBoolean());
        Assert.Contains("neither a purpose", unknown.Str("error"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("purpose").ValueKind);
        await (await Admin.GetAsync($"/api/v1/llm-resolve?model={name}&purpose=chat")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync("/api/v1/llm-resolve?model=")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeactivatingAProviderServingAnAlias_IsRefusedNamingIt_UnlessForced_AndTheAliasAnswersAgainOnceItIsBack()
    {
        var (target, id) = await ModelAsync("openai");
        var name = Catalog.Unique("carried");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var provider = (await (await Admin.GetAsync($"/api/v1/llm-models/{id}")).JsonAsync()).Str("provider_id");
        var before = await VersionAsync();

        var refused = await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider}", new { is_active = false })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"alias '{name}'", refused.GetProperty("errors").GetProperty("is_active")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("?force=true", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        Assert.Equal(target, Server.App.Resolver.ResolveRequested(name).Model.ModelId);

        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var kept = await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("its provider is inactive", kept.Str("resolve_error"), StringComparison.Ordinal);
        Assert.Throws<Core.Resolution.ModelgateConfigurationException>(() => Server.App.Resolver.ResolveRequested(name));

        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider}", new { is_active = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(target, Server.App.Resolver.ResolveRequested(name).Model.ModelId);
    }

    [Fact]
    public async Task MovingTheTargetToAnInactiveProvider_IsRefusedOnProviderId_UnlessForced()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("moved");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var asleep = await Admin.CreateProviderAsync("openai", apiKey: "sk-upstream-0000000000000000USG", baseUrl: Upstream.Url + "/v1");
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{asleep.Str("id")}", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var before = await VersionAsync();

        var refused = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}", new { provider_id = asleep.Str("id") })).ExpectAsync(HttpStatusCode.Conflict);

        var message = refused.GetProperty("errors").GetProperty("provider_id")[0].GetString();
        Assert.Contains($"alias '{name}'", message, StringComparison.Ordinal);
        Assert.Contains($"inactive provider '{asleep.Str("name")}'", message, StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{id}?force=true", new { provider_id = asleep.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, (await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK)).Str("model_id"));
    }

    [Fact]
    public async Task DeletingAProviderWithAliasedModels_Is409ListingTheAliases_AndForceAuditsEachRemovalAsAliasDelete()
    {
        var (_, id) = await ModelAsync("openai");
        var first = Catalog.Unique("gone-a");
        var second = Catalog.Unique("gone-b");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{first}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{second}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var provider = (await (await Admin.GetAsync($"/api/v1/llm-models/{id}")).JsonAsync()).Str("provider_id");

        var refused = await (await Admin.DeleteAsync($"/api/v1/llm-providers/{provider}")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"alias '{first}', '{second}'", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("remove those aliases", refused.Str("detail"), StringComparison.Ordinal);
        await (await Admin.DeleteAsync($"/api/v1/llm-providers/{provider}?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        foreach (var name in new[] { first, second })
        {
            var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=alias&entity_id={name}")).JsonAsync();
            var deleted = Assert.Single(audit.GetProperty("data").EnumerateArray(), e => e.Str("action") == "alias.delete");
            Assert.Equal(name, deleted.Str("entity_id"));
        }
    }

    [Fact]
    public async Task ForceDeletingTheTargetModel_AuditsTheRemovedAliasAsAliasDelete()
    {
        var (_, id) = await ModelAsync("openai");
        var name = Catalog.Unique("audited");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);

        await (await Admin.DeleteAsync($"/api/v1/llm-models/{id}?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=alias&entity_id={name}")).JsonAsync();
        Assert.Equal(["alias.create", "alias.delete"], audit.GetProperty("data").EnumerateArray().Where(e => e.Str("entity_id") == name)
            .Select(e => e.Str("action")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RollbackToAVersionBeforeTheAliasExisted_RemovesIt()
    {
        var (_, id) = await ModelAsync("openai");
        var without = await VersionAsync();
        var name = Catalog.Unique("undone");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);

        await (await Admin.PostAsync($"/api/v1/config/versions/{without}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        await (await Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, (await (await Admin.GetAsync("/api/v1/aliases")).JsonAsync()).EnumerateArray().Select(a => a.Str("name")));
        Assert.Throws<Core.Resolution.ModelgateConfigurationException>(() => Server.App.Resolver.ResolveRequested(name));
    }

    [Fact]
    public async Task KeyAllowedAPlainAliasByName_MayCallThroughIt_AndSeesItListed()
    {
        var (target, id) = await ModelAsync("openai");
        var name = Catalog.Unique("named");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{name}", new { model_id = id })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync(new { allowed_models = new[] { name } });

        await (await Caller(key).PostJsonAsync("/v1/chat/completions", Chat(name))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([target], Upstream.Requests.Select(r => r.Model));
        var listed = (await (await Caller(key).GetAsync("/v1/models")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Select(m => m.Str("id")).ToList();
        Assert.Contains(name, listed);
        // The alias's name does not open its target under the target's own name.
        Assert.DoesNotContain(target, listed);
        await (await Caller(key).PostJsonAsync("/v1/chat/completions", Chat(target))).ExpectAsync(HttpStatusCode.Forbidden);
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
