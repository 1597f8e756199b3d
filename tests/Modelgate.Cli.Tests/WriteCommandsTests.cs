using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Usage;
using Modelgate.Cli.Tests.Support;

namespace Modelgate.Cli.Tests;

/// <summary>set-default, keys and rollback change the server as the API would.</summary>
[Collection(CliServerCollection.Name)]
public sealed class WriteCommandsTests(CliServer server)
{
    [Fact]
    public async Task SetDefault_MakesTheModelThePurposesDefault()
    {
        var provider = await server.Admin.CreateProviderAsync();
        var model = await server.Admin.CreateModelAsync(provider.Str("id"));

        var result = await server.RunAsync("set-default", "agents/cli-tester", model.Str("model_id"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var defaults = await (await server.Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.Equal(model.Str("id"), defaults.GetProperty("agent_types").GetProperty("cli-tester").Str("id"));
        var listed = await server.RunAsync("list", "defaults");
        Assert.Contains("agents/cli-tester", listed.Out);
        Assert.Contains(model.Str("model_id"), listed.Out);
    }

    [Fact]
    public async Task KeysCreate_PrintsTheSecretOnce_AndRevokeStopsTheKey()
    {
        var name = Catalog.Unique("cli-key");

        var created = await server.RunAsync("keys", "create", name, "--budget", "5", "--output", "json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var secret = created.Json().Str("key");
        var id = created.Json().GetProperty("virtual_key").Str("id");
        Assert.StartsWith("mg-", secret);

        var listed = await server.RunAsync("list", "keys", "-o", "json");
        var shown = await server.RunAsync("get", "key", name);
        Assert.Contains(name, shown.Out);
        Assert.DoesNotContain(secret, listed.Out + shown.Out);

        var revoked = await server.RunAsync("keys", "revoke", id);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var key = await (await server.Admin.GetAsync($"/api/v1/keys/{id}")).JsonAsync();
        Assert.Equal("revoked", key.Str("status"));
        Assert.Equal(5m, key.GetProperty("budget_usd").GetDecimal());
    }

    [Fact]
    public async Task KeysCreate_AsTable_ShowsTheSecretAndWarnsItIsShownOnce()
    {
        var result = await server.RunAsync("keys", "create", Catalog.Unique("cli-key"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("mg-[A-Za-z0-9_-]{16,}", result.Out);
        Assert.Contains("only time", result.Error);
    }

    [Fact]
    public async Task Rollback_WithoutYes_RefusesAndChangesNothing_WithYes_Publishes()
    {
        var before = await CurrentVersionAsync();
        var provider = await server.Admin.CreateProviderAsync();

        var refused = await server.RunAsync("rollback", before.ToString());
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--yes", refused.Error);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).StatusCode);

        var done = await server.RunAsync("rollback", before.ToString(), "--yes", "-o", "json");
        Assert.True(done.ExitCode == 0, done.ToString());
        Assert.True(done.Json().GetProperty("version").GetInt64() > before);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).StatusCode);

        var history = await server.RunAsync("history", "--limit", "2");
        Assert.Contains(done.Json().GetProperty("version").GetInt64().ToString(), history.Out);
    }

    [Fact]
    public async Task Rollback_ToAnUnknownVersion_IsExitCodeTwo()
    {
        var result = await server.RunAsync("rollback", "999999", "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("404", result.Error);
    }

    [Fact]
    public async Task Usage_WithNoCalls_PrintsASummaryTable()
    {
        var result = await server.RunAsync("usage", "--group-by", "model");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("REQUESTS", result.Out);
        Assert.Contains("COST USD", result.Out);
    }

    [Fact]
    public async Task KeyCreatedWithATeam_HasItsUsageByTeamAsCsv()
    {
        var team = "cli-team-" + Guid.NewGuid().ToString("N")[..8];
        var created = await server.RunAsync("keys", "create", "cli-team-key", "--team", team, "-o", "json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var keyId = Guid.Parse(created.Json().GetProperty("virtual_key").GetProperty("id").GetString()!);
        Assert.Equal(team, created.Json().GetProperty("virtual_key").GetProperty("team").GetString());
        var recorder = server.App.Services.GetRequiredService<IUsageRecorder>();
        for (var i = 0; i < 3; i++)
        {
            recorder.Record(new UsageRecord
            {
                RequestId = Guid.CreateVersion7(), At = DateTimeOffset.UtcNow.AddMinutes(-1), KeyId = keyId, Purpose = "chat", ProviderName = "p",
                ModelId = Guid.NewGuid(), ModelName = "cli-model", Tokens = new TokenCounts(10, 5), Cost = 0.25m, LatencyMs = 100,
            });
        }

        CliResult csv = null!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            csv = await server.RunAsync("usage", "--csv", "--team", team, "--group-by", "team,key");
            if (csv.Out.Contains(",0.75,", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(csv.ExitCode == 0, csv.ToString());
        var lines = csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("team,key_id,key,requests,errors,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{team},{keyId},cli-team-key,3,0,", Assert.Single(lines[1..]), StringComparison.Ordinal);
    }

    private async Task<long> CurrentVersionAsync() =>
        (await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();
}
