using System.Net;
using Modelgate.Core.Secrets;
using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Server.Tests;

/// <summary>The master key across restarts and rotations; each test gets its own database and data folder.</summary>
public abstract class SecretsLifecycleTests(DatabaseKind kind) : IAsyncLifetime
{
    private const string Secret = "sk-ant-api03-Lifecycle-abcdefghijklmnopqrstu-XwAA";
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(kind);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private ModelgateApp App(params (string Key, string? Value)[] settings) =>
        new(_db.Options, _db.DataDirectory.Path, settings.ToDictionary(s => s.Key, s => s.Value));

    private string KeyFile => Path.Combine(_db.DataDirectory.Path, "master.key");

    [Fact]
    public async Task Restart_WithADifferentMasterKey_RefusesToStartAndSaysWhy()
    {
        await using (var first = App(("MODELGATE_MASTER_KEY", MasterKey.Generate().ToBase64())))
        {
            await first.CreateAdminClient().CreateProviderAsync("anthropic", apiKey: Secret);
        }

        await using var second = App(("MODELGATE_MASTER_KEY", MasterKey.Generate().ToBase64()));
        var error = Record.Exception(() => second.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("MODELGATE_MASTER_KEY", Flatten(error), StringComparison.Ordinal);
        Assert.Contains("will not start", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithTheKeyFileGone_RefusesToStartInsteadOfMakingANewKey()
    {
        await using (var first = App())
        {
            await first.CreateAdminClient().CreateProviderAsync("anthropic", apiKey: Secret);
        }

        File.Delete(KeyFile);
        await using var second = App();
        var error = Record.Exception(() => second.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("no master key is configured", Flatten(error), StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task Rotation_ReEncryptsEveryKeyWhileRequestsKeepSucceeding_AndSurvivesRestart()
    {
        await using (var app = App())
        {
            var admin = app.CreateAdminClient();
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await admin.CreateProviderAsync("anthropic", apiKey: Secret + i)).Str("id"));
            }

            var oldKeyId = File.ReadAllLines(KeyFile).Where(l => !l.StartsWith('#')).Select(l => new MasterKey(Convert.FromBase64String(l)).Id).Single();
            using var stop = new CancellationTokenSource();
            var traffic = Task.Run(async () =>
            {
                var statuses = new List<HttpStatusCode>();
                for (var n = 0; !stop.IsCancellationRequested || n < 10; n++)
                {
                    statuses.Add((await admin.PutJsonAsync($"/api/v1/llm-providers/{ids[n % 3]}", new { requests_per_minute = n + 1 })).StatusCode);
                    statuses.Add((await admin.GetAsync($"/api/v1/llm-providers/{ids[n % 3]}")).StatusCode);
                }

                return statuses;
            });

            var rotation = await (await admin.PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.OK);
            stop.Cancel();
            var statuses = await traffic;

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
            Assert.Equal(oldKeyId, rotation.Str("previous_key_id"));
            Assert.NotEqual(oldKeyId, rotation.Str("key_id"));
            Assert.Equal(3, rotation.GetProperty("re_encrypted").GetInt32());
            var stored = await _db.ScalarAsync($"SELECT COUNT(*) FROM llm_providers WHERE api_key LIKE 'mg1.{rotation.Str("key_id")}.%'");
            Assert.Equal(3L, Convert.ToInt64(stored, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Single(File.ReadAllLines(KeyFile), l => !l.StartsWith('#'));
        }

        // The new key file alone opens the database, and the re-encrypted keys decrypt (a second rotation reads them all).
        await using var restarted = App();
        var again = await (await restarted.CreateAdminClient().PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, again.GetProperty("re_encrypted").GetInt32());
    }

    [Fact]
    public async Task Rotation_KeepsVirtualKeysAndFallbacksInStoredVersions()
    {
        await using var app = App();
        var admin = app.CreateAdminClient();
        var provider = await admin.CreateProviderAsync("anthropic", apiKey: Secret + "vk");
        var first = await admin.CreateModelAsync(provider.Str("id"));
        var second = await admin.CreateModelAsync(provider.Str("id"));
        await (await admin.PutJsonAsync("/api/v1/llm-fallbacks/chat", new { model_ids = new[] { first.Str("id"), second.Str("id") } })).ExpectAsync(HttpStatusCode.OK);
        var key = await (await admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("kept") })).ExpectAsync(HttpStatusCode.Created);
        var version = (await (await admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

        await (await admin.PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.OK);

        // The stored version still holds the key it added (its diff says so), and a rollback to it keeps the fallbacks.
        var diff = await (await admin.GetAsync($"/api/v1/config/versions/{version}/diff")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(diff.GetProperty("changes").EnumerateArray(), c => c.Str("entity") == "virtual_key" && c.Str("kind") == "added"
            && c.Str("id") == key.GetProperty("virtual_key").Str("id"));
        await (await admin.PostAsync($"/api/v1/config/versions/{version}/rollback", null)).ExpectAsync(HttpStatusCode.OK);
        var fallbacks = await (await admin.GetAsync("/api/v1/llm-fallbacks")).JsonAsync();
        Assert.Equal(2, fallbacks.GetProperty("chat").GetArrayLength());
    }

    [Fact]
    public async Task Rotation_WithEnvironmentKeys_MovesEverythingToTheNewKey()
    {
        var oldKey = MasterKey.Generate();
        var newKey = MasterKey.Generate();
        await using (var first = App(("MODELGATE_MASTER_KEY", oldKey.ToBase64())))
        {
            await first.CreateAdminClient().CreateProviderAsync("openai", apiKey: Secret);
        }

        await using (var during = App(("MODELGATE_MASTER_KEY", newKey.ToBase64()), ("MODELGATE_PREVIOUS_MASTER_KEYS", oldKey.ToBase64())))
        {
            var result = await (await during.CreateAdminClient().PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(newKey.Id, result.Str("key_id"));
            Assert.Equal("environment", result.Str("key_source"));
        }

        await using var after = App(("MODELGATE_MASTER_KEY", newKey.ToBase64()));
        Assert.Equal(HttpStatusCode.OK, (await after.CreateAdminClient().GetAsync("/api/v1/llm-providers")).StatusCode);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task CiphertextCopiedToAnotherRow_FailsClosed_AndNothingIsRewritten()
    {
        await using var app = App();
        var admin = app.CreateAdminClient();
        var a = await admin.CreateProviderAsync("anthropic", apiKey: Secret);
        var b = await admin.CreateProviderAsync("anthropic", apiKey: Secret + "-other");
        await _db.ExecuteAsync($"UPDATE llm_providers SET api_key = (SELECT api_key FROM llm_providers WHERE name = '{a.Str("name")}') WHERE name = '{b.Str("name")}'");
        var before = (string?)await _db.ScalarAsync($"SELECT api_key FROM llm_providers WHERE name = '{a.Str("name")}'");

        var response = await admin.PostAsync("/api/v1/secrets/rotate-master-key", null);
        var problem = await response.ExpectAsync(HttpStatusCode.InternalServerError);

        Assert.Contains("another row", problem.Str("detail"), StringComparison.Ordinal);
        Assert.DoesNotContain("Lifecycle", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, (string?)await _db.ScalarAsync($"SELECT api_key FROM llm_providers WHERE name = '{a.Str("name")}'"));
    }

    [Fact]
    public async Task ConcurrentRotations_AreSerialized_AndLoseNoKey()
    {
        await using (var app = App())
        {
            var admin = app.CreateAdminClient();
            await admin.CreateProviderAsync("anthropic", apiKey: Secret);
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => admin.PostAsync("/api/v1/secrets/rotate-master-key", null)));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.Single(File.ReadAllLines(KeyFile), l => !l.StartsWith('#'));
        }

        await using var restarted = App();
        var again = await (await restarted.CreateAdminClient().PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("re_encrypted").GetInt32());
    }

    [Fact]
    public async Task FailedRotation_LeavesTheKeyFileAsItWas()
    {
        await using var app = App();
        var admin = app.CreateAdminClient();
        var a = await admin.CreateProviderAsync("anthropic", apiKey: Secret);
        var b = await admin.CreateProviderAsync("anthropic", apiKey: Secret + "-other");
        await _db.ExecuteAsync($"UPDATE llm_providers SET api_key = (SELECT api_key FROM llm_providers WHERE name = '{a.Str("name")}') WHERE name = '{b.Str("name")}'");
        var keyFile = await File.ReadAllTextAsync(KeyFile);

        await (await admin.PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.InternalServerError);

        Assert.Equal(keyFile, await File.ReadAllTextAsync(KeyFile));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/llm-providers")).StatusCode);
    }

    [Fact]
    public async Task LogsAndConsole_NeverCarryAProviderKey()
    {
        await using var app = App();
        var admin = app.CreateAdminClient();
        var provider = await admin.CreateProviderAsync("anthropic", apiKey: Secret);
        var url = $"/api/v1/llm-providers/{provider.Str("id")}";
        await admin.PutJsonAsync(url, new { api_key = Secret + "-second" });
        await admin.SendRawAsync(HttpMethod.Put, url, "{\"api_key\":\"" + Secret + "-third\",\"bogus\":1}");
        await admin.SendRawAsync(HttpMethod.Put, url, "{\"api_key\":\"" + Secret + "-fourth\"");
        await admin.PostAsync("/api/v1/secrets/rotate-master-key", null);

        var output = app.AllOutput();

        Assert.True(app.Logs.Count > 10, "the log capture should have seen the requests");
        Assert.DoesNotContain("Lifecycle", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminToken_Unset_IsGeneratedPrintedOnceAndOnlyItsHashStored()
    {
        string token;
        await using (var first = App(("MODELGATE_ADMIN_TOKEN", "")))
        {
            using var client = first.CreateClient();
            token = System.Text.RegularExpressions.Regex.Match(first.Console.ToString(), "mgadm_[A-Za-z0-9_-]+").Value;
            Assert.NotEmpty(token);
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/llm-providers")).StatusCode);
            Assert.DoesNotContain(token, string.Join('\n', first.Logs.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
        }

        var stored = (string?)await _db.ScalarAsync("SELECT value FROM settings WHERE key = 'admin_token_sha256'");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), stored);

        await using var second = App(("MODELGATE_ADMIN_TOKEN", ""));
        using var again = second.CreateClient();
        Assert.DoesNotContain("mgadm_", second.Console.ToString(), StringComparison.Ordinal);
        again.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/llm-providers")).StatusCode);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join('\n', aggregate.Flatten().InnerExceptions.Select(Flatten))
            : error.Message + "\n" + (error.InnerException is { } inner ? Flatten(inner) : "");
}

public sealed class SecretsLifecycleTests_Sqlite() : SecretsLifecycleTests(DatabaseKind.Sqlite);

public sealed class SecretsLifecycleTests_Postgres() : SecretsLifecycleTests(DatabaseKind.Postgres);
