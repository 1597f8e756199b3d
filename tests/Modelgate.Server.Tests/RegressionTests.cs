using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>Behaviours found missing in review; each test failed before its fix.</summary>
public abstract class RegressionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    [Fact]
    public async Task MovingADefault_ChangesTheETagOfBothModels_SoAStaleEditIsRefused()
    {
        var provider = await Admin.CreateProviderAsync();
        var first = await Admin.CreateModelAsync(provider.Str("id"));
        var second = await Admin.CreateModelAsync(provider.Str("id"));
        var purpose = "agents/" + Catalog.Unique("etag");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = first.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var firstTag = (await Admin.GetAsync($"/api/v1/llm-models/{first.Str("id")}")).Headers.ETag!.Tag;
        var secondTag = (await Admin.GetAsync($"/api/v1/llm-models/{second.Str("id")}")).Headers.ETag!.Tag;

        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = second.Str("id") })).ExpectAsync(HttpStatusCode.OK);

        Assert.NotEqual(firstTag, (await Admin.GetAsync($"/api/v1/llm-models/{first.Str("id")}")).Headers.ETag!.Tag);
        Assert.NotEqual(secondTag, (await Admin.GetAsync($"/api/v1/llm-models/{second.Str("id")}")).Headers.ETag!.Tag);
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{first.Str("id")}", new { display_name = "stale" }, ifMatch: firstTag)).ExpectAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task ControlCharactersInLookups_AreA4xxNeverA500()
    {
        await (await Admin.SendRawAsync(HttpMethod.Put, "/api/v1/llm-defaults/chat", "{\"model_id\":\"a\\u0000b\"}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await Admin.GetAsync("/api/v1/audit?entity_id=a%00b")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UpstreamNameWithSlashes_WorksInTheRoute()
    {
        var provider = await Admin.CreateProviderAsync("openai-compatible", baseUrl: "http://127.0.0.1:9/v1");
        var name = $"meta-llama/{Catalog.Unique("Llama-3.1-8B")}";
        var model = await Admin.CreateModelAsync(provider.Str("id"), modelId: name);

        var read = await (await Admin.GetAsync($"/api/v1/llm-models/{name}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(model.Str("id"), read.Str("id"));
    }

    [Fact]
    public async Task ForcedChanges_AuditEveryClearedDefaultAndDeletedModel()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var other = await Admin.CreateModelAsync(provider.Str("id"));
        var purpose = "agents/" + Catalog.Unique("forced");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);

        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.DeleteAsync($"/api/v1/llm-providers/{provider.Str("id")}?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        var cleared = await (await Admin.GetAsync($"/api/v1/audit?entity_type=default&entity_id={purpose}")).JsonAsync();
        Assert.Equal(["default.clear", "default.set"], cleared.GetProperty("data").EnumerateArray().Select(e => e.Str("action")));
        foreach (var id in new[] { model.Str("id"), other.Str("id") })
        {
            var rows = await (await Admin.GetAsync($"/api/v1/audit?entity_type=model&entity_id={id}")).JsonAsync();
            Assert.Equal("model.delete", rows.GetProperty("data")[0].Str("action"));
        }
    }

    [Fact]
    public async Task EveryAdminRoute_RefusesRequestsWithoutTheToken()
    {
        var routes = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        using var anonymous = server.App.CreateClient();

        Assert.True(routes.Count >= 15, $"expected the whole admin API, found {routes.Count} routes");
        foreach (var (method, pattern) in routes)
        {
            var url = pattern.Replace("{provider_id:guid}", Guid.NewGuid().ToString()).Replace("{**model_id}", "m").Replace("{**purpose}", "chat").Replace("{version:long}", "1").Replace("{id:guid}", Guid.NewGuid().ToString());
            var response = await anonymous.SendRawAsync(new HttpMethod(method), url, "{}");
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url} answered {(int)response.StatusCode} without a token");
        }
    }
}

public sealed class RegressionTests_Sqlite(SqliteServer server) : RegressionTests<SqliteServer>(server);

public sealed class RegressionTests_Postgres(PostgresServer server) : RegressionTests<PostgresServer>(server);
