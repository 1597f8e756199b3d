using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Server.Tests;

/// <summary>Console sessions over their life: sign-out, master key rotation, a fleet starting together; each test on servers of its own.</summary>
public sealed class ConsoleSessionLifecycleTests
{
    [Fact]
    public async Task Signing_out_ends_the_session_for_a_copied_cookie_too()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new ModelgateApp(db.Options, db.DataDirectory.Path);
        using var console = ConsoleClient.For(app);
        var cookie = SessionCookie(await console.SignInAsync());
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(app, cookie));

        using var signOut = await console.PostFormAsync("/", new Dictionary<string, string>(), action: "/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(app, cookie));
        Assert.Equal(0L, await CountAsync(db, "admin_sessions"));
    }

    [Fact]
    public async Task A_master_key_rotation_keeps_console_sessions_valid_after_a_restart()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        string cookie;
        await using (var app = new ModelgateApp(db.Options, db.DataDirectory.Path))
        {
            using var console = ConsoleClient.For(app);
            cookie = SessionCookie(await console.SignInAsync());
            var rotation = await (await app.CreateAdminClient().PostAsync("/api/v1/secrets/rotate-master-key", null)).ExpectAsync(HttpStatusCode.OK);
            Assert.All(await XmlAsync(db), xml => Assert.Contains($"mg1.{rotation.Str("key_id")}.", xml, StringComparison.Ordinal));
        }

        // Only the new key is in the key file now; the signing keys were re-encrypted with it, so the session holds.
        await using var restarted = new ModelgateApp(db.Options, db.DataDirectory.Path);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(restarted, cookie));
    }

    [Fact]
    public async Task Instances_starting_together_on_a_new_database_share_one_signing_key()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = Core.Secrets.MasterKey.Generate().ToBase64() };
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, settings);
        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, settings);
        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        Assert.Equal(1L, await CountAsync(db, "data_protection_keys"));
        using var console = ConsoleClient.For(second);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(first, SessionCookie(await console.SignInAsync())));
    }

    [Fact]
    public async Task A_session_from_one_instance_is_accepted_by_another_and_ends_when_the_admin_token_changes()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var masterKey = Core.Secrets.MasterKey.Generate().ToBase64();
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = masterKey });
        using var console = ConsoleClient.For(first);
        var cookie = SessionCookie(await console.SignInAsync());
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(first, cookie));

        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = masterKey });
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(second, cookie));

        await using var rotated = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?>
        {
            ["MODELGATE_MASTER_KEY"] = masterKey, ["MODELGATE_ADMIN_TOKEN"] = "mg-a-new-admin-token-after-rotation-000",
        });
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(rotated, cookie));
    }

    [Fact]
    public async Task Failed_sign_ins_are_limited_per_address_and_then_even_the_right_token_waits()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new ModelgateApp(db.Options, db.DataDirectory.Path);
        // Successful sign-ins do not count towards the limit.
        for (var i = 0; i < 12; i++)
        {
            using var fine = ConsoleClient.For(app);
            Assert.Equal(HttpStatusCode.Redirect, (await fine.SignInAsync()).StatusCode);
        }

        using var console = ConsoleClient.For(app);
        for (var i = 0; i < 10; i++)
        {
            using var wrong = await console.SignInAsync("mg-guess-" + i);
            Assert.Contains("That is not the admin token", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var blocked = await console.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
        Assert.Contains("Too many failed sign-ins", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await console.Http.GetAsync("/")).StatusCode);
    }

    private static string SessionCookie(HttpResponseMessage signIn)
    {
        var header = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("modelgate_session=", StringComparison.Ordinal));
        return header[..header.IndexOf(';', StringComparison.Ordinal)];
    }

    private static async Task<HttpStatusCode> GetWithCookieAsync(ModelgateApp app, string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<long> CountAsync(TestDatabase db, string table)
    {
        await using var connection = new SqliteConnection(db.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> XmlAsync(TestDatabase db)
    {
        await using var connection = new SqliteConnection(db.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
