using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// Experiments through the admin API: stored, versioned, diffed and rolled back like other catalog data; each refusal
/// names its field and changes nothing; one running experiment per target; stop, promote (and its rollback), and the
/// model and provider changes that would break a running experiment.
/// </summary>
public abstract class ExperimentsTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private async Task<long> VersionAsync() =>
        (await (await Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

    private CatalogSnapshot Snapshot => Server.App.Services.GetRequiredService<CurrentCatalog>().State.Snapshot;

    // Each test its own agent type: experiments of the class's tests share a server, and one runs per target.
    private static string Target() => "agents/" + Catalog.Unique("t");

    private static Dictionary<string, object?> Body(string name, string target, string? bModel, int controlWeight = 90, int bWeight = 10, string? controlModel = null) => new()
    {
        ["name"] = name,
        ["target"] = target,
        ["variants"] = new object[] { new { name = "control", model_id = controlModel, weight = controlWeight }, new { name = "b", model_id = bModel, weight = bWeight } },
    };

    private async Task<JsonElement> CreateAsync(object body) => await (await Admin.PostJsonAsync("/api/v1/experiments", body)).ExpectAsync(HttpStatusCode.Created);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string ifMatch)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Admin.SendAsync(request);
    }

    [Fact]
    public async Task CreateGetListUpdateDelete_RoundTrip_WithRevisionsETagsAndAudit()
    {
        var (b, bId) = await ModelAsync("openai");
        var name = Catalog.Unique("exp");
        var target = Target();

        var response = await Admin.PostJsonAsync("/api/v1/experiments", Body(name, target, b));
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal($"/api/v1/experiments/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal((name, target, "purpose", "running", "running", "session", 0.05, 1), (created.Str("name"), created.Str("target"), created.Str("target_kind"),
            created.Str("state"), created.Str("phase"), created.Str("stickiness"), created.GetProperty("alpha").GetDouble(), created.GetProperty("revision").GetInt32()));
        var variants = created.GetProperty("variants");
        Assert.True(variants[0].GetProperty("control").GetBoolean());
        Assert.Equal(JsonValueKind.Null, variants[0].GetProperty("model_id").ValueKind);
        Assert.Equal((bId, b, 10), (variants[1].Str("model_id"), variants[1].Str("model_name"), variants[1].GetProperty("weight").GetInt32()));
        Assert.False(string.IsNullOrEmpty(variants[1].Str("provider_name")));
        Assert.Equal(name, Snapshot.Experiments[Guid.Parse(id)].Name);

        Assert.Equal(id, (await (await Admin.GetAsync($"/api/v1/experiments/{name}")).ExpectAsync(HttpStatusCode.OK)).Str("id"));
        var byId = await Admin.GetAsync($"/api/v1/experiments/{id}");
        Assert.Equal("\"1\"", byId.Headers.ETag!.Tag);
        Assert.Contains((await (await Admin.GetAsync("/api/v1/experiments")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray(), e => e.Str("id") == id);

        var change = new { variants = new object[] { new { name = "control", weight = 50 }, new { name = "b", model_id = bId, weight = 50 } } };
        await (await Admin.PutJsonAsync($"/api/v1/experiments/{id}", change, ifMatch: "\"7\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        var updated = await (await Admin.PutJsonAsync($"/api/v1/experiments/{id}", change, ifMatch: "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, 50), (updated.GetProperty("revision").GetInt32(), updated.GetProperty("variants")[0].GetProperty("weight").GetInt32()));
        Assert.Equal(50, Snapshot.Experiments[Guid.Parse(id)].Variants[1].Weight);
        var version = await VersionAsync();
        var same = await (await Admin.PutJsonAsync($"/api/v1/experiments/{name}", change)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, version), (same.GetProperty("revision").GetInt32(), await VersionAsync()));

        var running = await (await Admin.DeleteAsync($"/api/v1/experiments/{id}")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("stop it first", running.Str("detail"), StringComparison.Ordinal);
        await (await Admin.PostJsonAsync($"/api/v1/experiments/{id}/stop", new { reason = "done" })).ExpectAsync(HttpStatusCode.OK);
        await (await SendAsync(HttpMethod.Delete, $"/api/v1/experiments/{id}", "\"2\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await SendAsync(HttpMethod.Delete, $"/api/v1/experiments/{id}", "\"3\"")).ExpectAsync(HttpStatusCode.NoContent);
        await (await Admin.GetAsync($"/api/v1/experiments/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.False(Snapshot.Experiments.ContainsKey(Guid.Parse(id)));

        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=experiment&entity_id={id}")).JsonAsync();
        var actions = audit.GetProperty("data").EnumerateArray().Select(e => e.Str("action")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["experiment.create", "experiment.delete", "experiment.stop", "experiment.update"], actions);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { """{"name": "has space", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}]}""", "name" },
        { """{"name": "n", "target": "no-such-alias", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}]}""", "target" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}]}""", "variants" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1, "shadow": true}, {"name": "b", "weight": 1}]}""", "variants[0].shadow" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 10001}]}""", "variants[1].weight" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "s", "weight": 0, "shadow": true}]}""", "variants[1].weight" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 0}, {"name": "b", "weight": 0}]}""", "variants" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "CONTROL", "weight": 1}]}""", "variants[1].name" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1, "parameters": {"top_p": 2}}]}""", "variants[1].parameters.top_p" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "model_id": "no-such-model", "weight": 1}]}""", "variants[1].model_id" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "guardrails": [{"metric": "p99", "max_ratio": 2}]}""", "guardrails[0].metric" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "guardrails": [{"metric": "error_rate"}]}""", "guardrails[0].max_increase" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "guardrails": [{"metric": "latency_p95", "max_ratio": 1}]}""", "guardrails[0].max_ratio" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "stickiness": "user"}""", "stickiness" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "alpha": 0.6}""", "alpha" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "starts_at": "2030-01-02T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"}""", "ends_at" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "ends_at": "2020-01-01T00:00:00Z"}""", "ends_at" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1.5}]}""", "variants" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "phase": "running"}""", "phase" },
        { """{"name": "n", "target": "chat", "variants": [{"name": "control", "weight": 1}, {"name": "b", "weight": 1}], "colour": "red"}""", "colour" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Create_BreakingARule_Is400NamingTheField_AndChangesNothing(string body, string field)
    {
        var before = await VersionAsync();

        var refused = await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/experiments", body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {refused}");
        Assert.Equal(before, await VersionAsync());
        Assert.DoesNotContain((await (await Admin.GetAsync("/api/v1/experiments")).JsonAsync()).EnumerateArray(), e => e.Str("name") == "n");
    }

    [Fact]
    public async Task Create_AnEmbeddingModelOnAChatTarget_Is400NamingTheVariantsModel()
    {
        var (_, embedding) = await ModelAsync("openai", type: "embedding");
        var before = await VersionAsync();

        var refused = await (await Admin.PostJsonAsync("/api/v1/experiments", Body(Catalog.Unique("kind"), Target(), embedding))).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("embedding", refused.GetProperty("errors").GetProperty("variants[1].model_id")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
    }

    [Fact]
    public async Task Create_ASecondRunningExperimentOnATarget_Is409NamingTheFirst_AndIsAllowedOnceItStopped()
    {
        var (_, bId) = await ModelAsync("openai");
        var target = Target();
        var first = await CreateAsync(Body(Catalog.Unique("first"), target, bId));
        var before = await VersionAsync();

        var refused = await (await Admin.PostJsonAsync("/api/v1/experiments", Body(Catalog.Unique("second"), target, bId))).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains($"experiment '{first.Str("name")}' is already running on '{target}'", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync());
        await (await Admin.PostAsync($"/api/v1/experiments/{first.Str("id")}/stop", null)).ExpectAsync(HttpStatusCode.OK);
        await CreateAsync(Body(Catalog.Unique("second"), target, bId));
    }

    [Fact]
    public async Task Update_TargetOfARunningExperiment_Is409_AndOfAStoppedOneIsAllowed()
    {
        var (_, bId) = await ModelAsync("openai");
        var created = await CreateAsync(Body(Catalog.Unique("move"), Target(), bId));
        var url = $"/api/v1/experiments/{created.Str("id")}";

        var refused = await (await Admin.PutJsonAsync(url, new { target = Target() })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.True(refused.GetProperty("errors").TryGetProperty("target", out _));
        await (await Admin.PostAsync($"{url}/stop", null)).ExpectAsync(HttpStatusCode.OK);
        var other = Target();
        Assert.Equal(other, (await (await Admin.PutJsonAsync(url, new { target = other })).ExpectAsync(HttpStatusCode.OK)).Str("target"));
    }

    [Fact]
    public async Task Stop_StopsWithTheReason_AndStoppingAgainChangesNothing()
    {
        var (_, bId) = await ModelAsync("openai");
        var created = await CreateAsync(Body(Catalog.Unique("stop"), Target(), bId));
        var url = $"/api/v1/experiments/{created.Str("id")}/stop";
        var before = await VersionAsync();

        var stopped = await (await Admin.PostJsonAsync(url, new { reason = "cost is fine, quality is not" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("stopped", "stopped", "cost is fine, quality is not", 2), (stopped.Str("state"), stopped.Str("phase"), stopped.Str("stop_reason"), stopped.GetProperty("revision").GetInt32()));
        Assert.Equal(before + 1, await VersionAsync());
        Assert.Equal(ExperimentState.Stopped, Snapshot.Experiments[Guid.Parse(created.Str("id"))].State);
        var again = await (await Admin.PostAsync(url, null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("cost is fine, quality is not", 2), (again.Str("stop_reason"), again.GetProperty("revision").GetInt32()));
        Assert.Equal(before + 1, await VersionAsync());
    }

    [Fact]
    public async Task Stop_WithoutAReason_SaysWhoStoppedIt()
    {
        var (_, bId) = await ModelAsync("openai");
        var created = await CreateAsync(Body(Catalog.Unique("stop"), Target(), bId));

        var stopped = await (await Admin.PostAsync($"/api/v1/experiments/{created.Str("name")}/stop", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.StartsWith("stopped by admin-token:", stopped.Str("stop_reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_OnAPurpose_MakesTheVariantTheDefaultAndStops_AndARollbackRestoresBoth()
    {
        var (a, aId) = await ModelAsync("openai");
        var (b, bId) = await ModelAsync("openai");
        var target = Target();
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{target}", new { model_id = aId })).ExpectAsync(HttpStatusCode.OK);
        var created = await CreateAsync(Body(Catalog.Unique("promo"), target, bId));
        var good = await VersionAsync();

        var promoted = await (await Admin.PostJsonAsync($"/api/v1/experiments/{created.Str("id")}/promote", new { variant = "b" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("stopped", "promoted variant 'b'"), (promoted.Str("state"), promoted.Str("stop_reason")));
        Assert.Equal(b, Server.App.Resolver.ResolveChain(target)[0].Model.ModelId);
        var diff = await (await Admin.GetAsync($"/api/v1/config/versions/{good + 1}/diff")).ExpectAsync(HttpStatusCode.OK);
        var entities = diff.GetProperty("changes").EnumerateArray().Select(c => (c.Str("entity"), c.Str("name"))).ToList();
        Assert.Contains(("default", target), entities);
        Assert.Contains(("experiment", created.Str("name")), entities);
        Assert.Equal(good + 1, await VersionAsync());

        await (await Admin.PostAsync($"/api/v1/config/versions/{good}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(a, Server.App.Resolver.ResolveChain(target)[0].Model.ModelId);
        var restored = await (await Admin.GetAsync($"/api/v1/experiments/{created.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("running", "running", JsonValueKind.Null), (restored.Str("state"), restored.Str("phase"), restored.GetProperty("stop_reason").ValueKind));
        Assert.Equal(ExperimentState.Running, Snapshot.Experiments[Guid.Parse(created.Str("id"))].State);
    }

    [Fact]
    public async Task Promote_OnAnAlias_PointsTheAliasAtTheVariant_AndARollbackRestoresIt()
    {
        var (a, aId) = await ModelAsync("openai");
        var (b, bId) = await ModelAsync("openai");
        var alias = Catalog.Unique("smart");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{alias}", new { model_id = aId })).ExpectAsync(HttpStatusCode.OK);
        var created = await CreateAsync(Body(Catalog.Unique("promo"), alias, bId));
        Assert.Equal("alias", created.Str("target_kind"));
        var good = await VersionAsync();

        var promoted = await (await Admin.PostJsonAsync($"/api/v1/experiments/{created.Str("name")}/promote", new { variant = "B" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("promoted variant 'b'", promoted.Str("stop_reason"));
        var retargeted = await (await Admin.GetAsync($"/api/v1/aliases/{alias}")).ExpectAsync(HttpStatusCode.OK);
        // An alias's revision is the catalog version that last changed it: the promotion's.
        Assert.Equal((bId, good + 1), (retargeted.Str("model_id"), retargeted.GetProperty("revision").GetInt64()));
        Assert.Equal(b, Server.App.Resolver.ResolveRequested(alias).Model.ModelId);

        await (await Admin.PostAsync($"/api/v1/config/versions/{good}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(a, Server.App.Resolver.ResolveRequested(alias).Model.ModelId);
        Assert.Equal("running", (await (await Admin.GetAsync($"/api/v1/experiments/{created.Str("id")}")).JsonAsync()).Str("state"));
    }

    [Fact]
    public async Task Promote_AControlWithoutAModel_OnlyStops_AndAnUnknownVariantIs400()
    {
        var (a, aId) = await ModelAsync("openai");
        var (_, bId) = await ModelAsync("openai");
        var target = Target();
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{target}", new { model_id = aId })).ExpectAsync(HttpStatusCode.OK);
        var created = await CreateAsync(Body(Catalog.Unique("keep"), target, bId));
        var url = $"/api/v1/experiments/{created.Str("id")}/promote";

        var unknown = await (await Admin.PostJsonAsync(url, new { variant = "c" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'control', 'b'", unknown.GetProperty("errors").GetProperty("variant")[0].GetString(), StringComparison.Ordinal);
        var promoted = await (await Admin.PostJsonAsync(url, new { variant = "control" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("stopped", "promoted variant 'control'"), (promoted.Str("state"), promoted.Str("stop_reason")));
        Assert.Equal(a, Server.App.Resolver.ResolveChain(target)[0].Model.ModelId);
    }

    [Fact]
    public async Task ExperimentChanges_AreDiffedReadably_ByModelIdWithTheModelsName()
    {
        var (b, bId) = await ModelAsync("openai");
        var created = await CreateAsync(Body(Catalog.Unique("diff"), Target(), bId));
        var id = created.Str("id");

        var added = Assert.Single((await (await Admin.GetAsync($"/api/v1/config/versions/{await VersionAsync()}/diff")).JsonAsync()).GetProperty("changes").EnumerateArray());
        await (await Admin.PutJsonAsync($"/api/v1/experiments/{id}",
            new { variants = new object[] { new { name = "control", weight = 80 }, new { name = "b", model_id = b, weight = 20 } } })).ExpectAsync(HttpStatusCode.OK);
        var changed = Assert.Single((await (await Admin.GetAsync($"/api/v1/config/versions/{await VersionAsync()}/diff")).JsonAsync()).GetProperty("changes").EnumerateArray());

        Assert.Equal(("added", "experiment", id), (added.Str("kind"), added.Str("entity"), added.Str("id")));
        Assert.Equal($"control: (the target as configured) 90; b: {b} ({bId}) 10", added.GetProperty("fields").GetProperty("variants").Str("after"));
        Assert.Equal("changed", changed.Str("kind"));
        var variants = changed.GetProperty("fields").GetProperty("variants");
        Assert.Equal(($"control: (the target as configured) 90; b: {b} ({bId}) 10", $"control: (the target as configured) 80; b: {b} ({bId}) 20"),
            (variants.Str("before"), variants.Str("after")));
    }

    [Fact]
    public async Task ChangingAVariantsModelOrProvider_Is409NamingTheExperiment_AndForcedStopsIt()
    {
        var (b, bId) = await ModelAsync("openai");
        var created = await CreateAsync(Body(Catalog.Unique("guarded"), Target(), bId));
        var name = created.Str("name");
        var provider = (await (await Admin.GetAsync($"/api/v1/llm-models/{bId}")).JsonAsync()).Str("provider_id");
        var before = await VersionAsync();

        var deactivate = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{bId}", new { is_active = false })).ExpectAsync(HttpStatusCode.Conflict);
        var delete = await (await Admin.DeleteAsync($"/api/v1/llm-models/{bId}")).ExpectAsync(HttpStatusCode.Conflict);
        var providerOff = await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider}", new { is_active = false })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.All(new[] { deactivate, delete, providerOff }, r => Assert.Contains($"running experiment '{name}' (variant 'b')", r.Str("detail"), StringComparison.Ordinal));
        Assert.True(deactivate.GetProperty("errors").TryGetProperty("is_active", out _));
        Assert.Equal(before, await VersionAsync());
        Assert.Equal("running", (await (await Admin.GetAsync($"/api/v1/experiments/{name}")).JsonAsync()).Str("state"));

        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{bId}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);

        var stopped = await (await Admin.GetAsync($"/api/v1/experiments/{name}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("stopped", stopped.Str("state"));
        Assert.Contains($"model '{b}' was deactivated (forced by admin-token:", stopped.Str("stop_reason"), StringComparison.Ordinal);
        Assert.Equal(before + 1, await VersionAsync());
        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=experiment&entity_id={created.Str("id")}")).JsonAsync();
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.Str("action") == "experiment.stop");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheExperimentAndFeedbackRoutesAndBodies()
    {
        using var client = Server.App.CreateClient();

        var document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/experiments/{experiment}", paths);
        Assert.Contains("/api/v1/experiments/{experiment}/promote", paths);
        Assert.Contains("/api/v1/feedback", paths);
        var changes = document.GetProperty("components").GetProperty("schemas").GetProperty("ExperimentChanges").GetProperty("properties");
        Assert.All(new[] { "name", "target", "variants", "stickiness", "guardrails", "starts_at", "ends_at", "description", "alpha" },
            f => Assert.True(changes.TryGetProperty(f, out _), $"ExperimentChanges lacks {f}"));
    }

    [Fact]
    public async Task DeletingTheTargetAliasOfARunningExperiment_Is409()
    {
        var (_, aId) = await ModelAsync("openai");
        var (_, bId) = await ModelAsync("openai");
        var alias = Catalog.Unique("held");
        await (await Admin.PutJsonAsync($"/api/v1/aliases/{alias}", new { model_id = aId })).ExpectAsync(HttpStatusCode.OK);
        var created = await CreateAsync(Body(Catalog.Unique("on-alias"), alias, bId));

        var refused = await (await Admin.DeleteAsync($"/api/v1/aliases/{alias}")).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains($"running experiment '{created.Str("name")}'", refused.Str("detail"), StringComparison.Ordinal);
    }
}

public sealed class ExperimentsTests_Sqlite(SqliteServer server) : ExperimentsTests<SqliteServer>(server);

public sealed class ExperimentsTests_Postgres(PostgresServer server) : ExperimentsTests<PostgresServer>(server);
