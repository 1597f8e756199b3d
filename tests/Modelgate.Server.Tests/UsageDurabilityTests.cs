using System.Net;
using System.Net.Http.Headers;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>Usage records survive the process: a graceful stop writes every record, and nothing secret is stored with them.</summary>
public sealed class UsageDurabilityTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task StoppingTheServer_RightAfterItsLastAnswer_LeavesOneRowPerCall(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var upstream = await FakeUpstream.StartAsync();
        const string upstreamKey = "sk-upstream-durability-000000000000SECRET";
        var app = new ModelgateApp(database.Options, database.DataDirectory.Path);
        string secret;
        const int calls = 60;
        try
        {
            var admin = app.CreateAdminClient();
            var provider = await admin.CreateProviderAsync("openai", apiKey: upstreamKey, baseUrl: upstream.Url + "/v1");
            var model = (await admin.CreateModelAsync(provider.Str("id"), modelId: Catalog.Unique("gpt"))).Str("model_id");
            secret = (await (await admin.PostJsonAsync("/api/v1/keys", new { name = "durable" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
            var caller = app.CreateClient();
            caller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
                await (await caller.PostJsonAsync("/v1/chat/completions", new { model, stream = i % 2 == 0, messages = new[] { new { role = "user", content = "hi " + i } } }))
                    .Content.ReadAsStringAsync()));
        }
        finally
        {
            // Stops the host: the web server finishes, then the usage writer writes what is still queued.
            await app.DisposeAsync();
        }

        Assert.Equal(calls, Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM usage_records"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(calls / 2, Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM usage_records WHERE flags = 1"), System.Globalization.CultureInfo.InvariantCulture));
        var stored = string.Join('\n', await DumpAsync(database, "usage_series"), await DumpAsync(database, "usage_records"));
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..12], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(upstreamKey, stored, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(database.DataDirectory.Path, "usage-spill.jsonl")));
    }

    private static async Task<string> DumpAsync(TestDatabase database, string table)
    {
        await using System.Data.Common.DbConnection connection = database.Options.Kind == DatabaseKind.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(database.Options.ConnectionString)
            : new Npgsql.NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i)).Append('|');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
