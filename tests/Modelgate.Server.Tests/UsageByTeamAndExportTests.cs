using System.Net;
using System.Text.Json;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// Usage for charge-back: keys carry a team label, usage groups and filters by team and by exact status, and a range
/// exports as CSV (spreadsheet formulas defused) or JSON through the API, the console and its download link.
/// </summary>
public abstract class UsageByTeamAndExportTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private Task<JsonElement> UsageOfTeamAsync(string team, int requests, string groupBy) =>
        UsageWhereAsync($"team={Uri.EscapeDataString(team)}", requests, groupBy);

    [Fact]
    public async Task CallsOfATeamsKeys_AreGroupedAndFilteredByTeam_WithEachStatusAGroupOfItsOwn()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 2m });
        var team = Catalog.Unique("search");
        var (first, firstId) = await KeyAsync(new { team });
        var (second, _) = await KeyAsync(new { team });
        var (other, _) = await KeyAsync(new { team = Catalog.Unique("ads") });
        var key = await (await Admin.GetAsync($"/api/v1/keys/{firstId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(team, key.Str("team"));

        Upstream.Usage = (Prompt: 1000, Completion: 500, Cached: 0);
        using (var caller = Caller(first))
        {
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        using (var caller = Caller(second))
        {
            Upstream.FailNext(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}");
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.TooManyRequests);
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        using (var caller = Caller(other))
        {
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        var byStatus = await UsageOfTeamAsync(team, 4, "team,status");
        var groups = byStatus.GetProperty("groups").EnumerateArray().ToDictionary(g => g.Str("status"));
        Assert.Equal(2, groups.Count);
        Assert.Equal((3, 0L), (groups["200"].GetProperty("requests").GetInt64(), groups["200"].GetProperty("errors").GetInt64()));
        Assert.Equal((1, 1L), (groups["429"].GetProperty("requests").GetInt64(), groups["429"].GetProperty("errors").GetInt64()));
        Assert.All(groups.Values, g => Assert.Equal(team, g.Str("team")));
        // 3 × (1000 × 1 + 500 × 2) per million.
        Assert.Equal(0.006m, byStatus.GetProperty("totals").GetProperty("cost_usd").GetDecimal());

        var byKey = await UsageOfTeamAsync(team, 4, "key");
        Assert.Equal(2, byKey.GetProperty("groups").GetArrayLength());
        var refused = await (await Admin.GetAsync("/api/v1/usage?group_by=teams")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'teams' is not one of them", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("team, variant", refused.Str("detail"), StringComparison.Ordinal);
        var emptyTeam = await (await Admin.GetAsync("/api/v1/usage?team=")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("team must name a team", emptyTeam.Str("detail"), StringComparison.Ordinal);
        var tooLong = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("k"), team = new string('t', 101) })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("team", tooLong.Str("detail"), StringComparison.Ordinal);
        var padded = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("k"), team = " " + team })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("whitespace", padded.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IsOneCsvRowPerDayKeyModelAndPurpose_WithFormulasInNamesDefused_OrTheSameRowsAsJson()
    {
        var (model, modelId) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var team = "+" + Catalog.Unique("finance");
        var body = new { name = "=HYPERLINK(\"http://x\",\"y\")," + Catalog.Unique("k"), team };
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", body)).ExpectAsync(HttpStatusCode.Created);
        using (var caller = Caller(created.Str("key")))
        {
            Upstream.Usage = (Prompt: 300, Completion: 200, Cached: 0);
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        await UsageOfTeamAsync(team, 2, "");
        var response = await Admin.GetAsync($"/api/v1/usage/export?team={Uri.EscapeDataString(team)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("day,key_id,key,team,model_id,model,provider,purpose,requests,errors,error_rate,streamed,input_tokens,output_tokens,cached_input_tokens,"
            + "estimated_requests,cost_usd,unpriced_requests,latency_p50_ms,latency_p95_ms,latency_p99_ms,ttft_p50_ms,ttft_p95_ms,tokens_per_second", lines[0]);
        var row = Assert.Single(lines[1..]);
        var day = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var keyName = body.name.Replace("\"", "\"\"", StringComparison.Ordinal);
        Assert.StartsWith($"{day},{created.GetProperty("virtual_key").Str("id")},\"'{keyName}\",'{team},{modelId},{model},", row, StringComparison.Ordinal);
        Assert.Contains(",2,0,0,0,600,400,0,0,0.001,0,", row, StringComparison.Ordinal);

        var json = await (await Admin.GetAsync($"/api/v1/usage/export?format=json&team={Uri.EscapeDataString(team)}")).ExpectAsync(HttpStatusCode.OK);
        var group = Assert.Single(json.GetProperty("groups").EnumerateArray());
        Assert.Equal(body.name, group.Str("key"));
        Assert.Equal(["day", "key", "team", "model", "purpose"], json.GetProperty("group_by").EnumerateArray().Select(g => g.GetString()));
        // A quiet range has the same columns; the file starts with a byte-order mark for spreadsheets.
        var empty = await Admin.GetAsync($"/api/v1/usage/export?team={Uri.EscapeDataString(team)}&from=2026-01-01&to=2026-01-02&group_by=");
        var bytes = await empty.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(lines[0] + "\r\n", System.Text.Encoding.UTF8.GetString(bytes[3..]));
        var refused = await (await Admin.GetAsync("/api/v1/usage/export?format=xlsx")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("csv, json", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleUsagePage_ShowsCostByTeamAndKey_AndDownloadsTheRangeAsCsv()
    {
        var (model, _) = await ModelAsync("openai", new { input_price_per_million = 1m, output_price_per_million = 1m });
        var team = Catalog.Unique("console-team");
        var name = Catalog.Unique("console-key");
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name, team })).ExpectAsync(HttpStatusCode.Created);
        using (var caller = Caller(created.Str("key")))
        {
            await (await caller.PostJsonAsync("/v1/chat/completions", Chat(model))).ExpectAsync(HttpStatusCode.OK);
        }

        await UsageOfTeamAsync(team, 1, "");
        using var console = ConsoleClient.For(Server.App);
        await console.SignInAsync();
        var (status, html) = await console.GetAsync("/usage?range=24h");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches($@"<tr><td>{team}</td><th scope=""row"">\s*<a href=""/keys/{created.GetProperty("virtual_key").Str("id")}"">{name}</a>\s*</th>\s*<td class=""num"">1</td>", html);
        Assert.Contains("href=\"/usage?handler=csv&amp;range=24h\"", html, StringComparison.Ordinal);

        var csv = await console.Http.GetAsync("/usage?handler=csv&range=24h");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("day,key_id,key,team,model_id,model,provider,purpose,requests,", text, StringComparison.Ordinal);
        Assert.Contains($",{name},{team},", text, StringComparison.Ordinal);
    }
}

public sealed class UsageByTeamAndExportTests_Sqlite(SqliteServer server) : UsageByTeamAndExportTests<SqliteServer>(server);

public sealed class UsageByTeamAndExportTests_Postgres(PostgresServer server) : UsageByTeamAndExportTests<PostgresServer>(server);
