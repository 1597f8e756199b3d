using System.Collections.Concurrent;
using System.Net;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>A server killed under load (SIGKILL) loses no call it answered, and counts none twice, once it is started again.</summary>
public sealed class UsageCrashTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task KilledUnderLoad_EveryAnsweredCallIsRecordedOnce_AfterTheRestart(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var upstream = await FakeUpstream.StartAsync();
        string model;
        string key;
        var answered = new ConcurrentBag<Guid>();
        await using (var server = await ServerProcess.StartAsync(database.DataDirectory.Path, database.Options.ConnectionString))
        {
            using var admin = server.CreateClient(ModelgateApp.AdminToken);
            var provider = await admin.CreateProviderAsync("openai", apiKey: "sk-upstream-crash-00000000000000", baseUrl: upstream.Url + "/v1");
            model = (await admin.CreateModelAsync(provider.Str("id"), modelId: Catalog.Unique("gpt"))).Str("model_id");
            key = (await (await admin.PostJsonAsync("/api/v1/keys", new { name = "crash" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
            using var caller = server.CreateClient(key);
            using var stop = new CancellationTokenSource();

            // 32 callers as fast as they can (about 2,000 calls a second here), half of them streaming.
            var callers = Enumerable.Range(0, 32).Select(n => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var response = await caller.PostJsonAsync("/v1/chat/completions", new { model, stream = (n + i) % 2 == 0, messages = new[] { new { role = "user", content = "hi " + i } } });
                        var body = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode == HttpStatusCode.OK && (body.Contains("[DONE]", StringComparison.Ordinal) || body.Contains("\"usage\"", StringComparison.Ordinal)))
                        {
                            answered.Add(Guid.Parse(response.Headers.GetValues("x-modelgate-request-id").Single()));
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        // Killed mid-call: not answered, so not counted.
                    }
                }
            })).ToArray();

            await Task.Delay(1500);
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(callers);
        }

        Assert.True(answered.Count > 100, $"only {answered.Count} calls were answered before the kill");
        await using (await ServerProcess.StartAsync(database.DataDirectory.Path, database.Options.ConnectionString))
        {
            var stored = new HashSet<Guid>();
            for (var i = 0; i < 200 && !answered.All(stored.Contains); i++)
            {
                await Task.Delay(100);
                stored = await RequestIdsAsync(database);
            }

            // Nothing can be stored twice (request_id is unique); what must hold is that nothing answered is missing.
            var lost = answered.Count(id => !stored.Contains(id));
            Assert.True(lost == 0, $"{lost} of {answered.Count} answered calls have no usage record");
        }
    }

    private static async Task<HashSet<Guid>> RequestIdsAsync(TestDatabase database)
    {
        await using System.Data.Common.DbConnection connection = database.Options.Kind == DatabaseKind.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(database.Options.ConnectionString)
            : new Npgsql.NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id FROM usage_records";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(new Guid((byte[])reader.GetValue(0)));
        }

        return ids;
    }
}
