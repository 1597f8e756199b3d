using System.Net;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class ConcurrencyTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    [Fact]
    public async Task FiftyParallelDefaultChanges_LeaveExactlyOneDefault_TheLastOneWritten()
    {
        var provider = await Admin.CreateProviderAsync();
        var models = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            models.Add((await Admin.CreateModelAsync(provider.Str("id"))).Str("id"));
        }

        var purpose = "agents/" + Catalog.Unique("race");
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = models[i % 5] })
            : Admin.PutJsonAsync($"/api/v1/llm-models/{models[i % 5]}", new { default_for_agent_types = new[] { purpose["agents/".Length..] } })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var rows = (long)(await server.Database.ScalarAsync($"SELECT COUNT(*) FROM purpose_defaults WHERE purpose = '{purpose}'"))!;
        Assert.Equal(1, rows);
        // The default in force is the one the last committed change set.
        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=default&entity_id={purpose}&limit=1")).JsonAsync();
        var lastSet = audit.GetProperty("data")[0].GetProperty("after").Str("model");
        var defaults = await (await Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.Equal(lastSet, defaults.GetProperty("agent_types").GetProperty(purpose["agents/".Length..]).Str("id"));
        var holders = 0;
        foreach (var id in models)
        {
            var model = await (await Admin.GetAsync($"/api/v1/llm-models/{id}")).JsonAsync();
            holders += model.GetProperty("default_for_agent_types").GetArrayLength();
        }

        Assert.Equal(1, holders);
    }

    [Fact]
    public async Task ParallelEditsWithTheSameIfMatch_OnlyOneWins()
    {
        var provider = await Admin.CreateProviderAsync();
        var url = $"/api/v1/llm-providers/{provider.Str("id")}";

        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Admin.PutJsonAsync(url, new { requests_per_minute = i }, ifMatch: "\"1\"")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        var current = await (await Admin.GetAsync(url)).JsonAsync();
        Assert.Equal(2, current.GetProperty("revision").GetInt32());
    }
}

public sealed class ConcurrencyTests_Sqlite(SqliteServer server) : ConcurrencyTests<SqliteServer>(server);

public sealed class ConcurrencyTests_Postgres(PostgresServer server) : ConcurrencyTests<PostgresServer>(server);
