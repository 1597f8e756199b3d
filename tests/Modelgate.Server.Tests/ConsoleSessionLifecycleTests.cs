using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
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
    public async Task Failed_sign_ins_are_limited_and_then_even_the_right_token_waits_out_the_minute()
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

    [Fact]
    public async Task While_the_database_is_away_a_signed_in_administrator_still_sees_what_is_in_effect()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var data = new TempDirectory();
        await using var app = new ModelgateApp(new DatabaseOptions(DatabaseKind.Postgres, postgres.ConnectionString), data.Path,
            new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = Core.Secrets.MasterKey.Generate().ToBase64() });
        using var console = ConsoleClient.For(app);
        await console.SignInAsync();
        console.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        await postgres.StopAsync();
        var (status, html) = await console.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("The database cannot be reached", html, StringComparison.Ordinal);
        var (listStatus, list) = await console.GetAsync("/providers");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, listStatus);
        Assert.Contains("The catalog database cannot be reached", list, StringComparison.Ordinal);

        await postgres.StartAgainAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/providers")).Status);
    }

    [Fact]
    public async Task Signing_in_again_restarts_the_session_clock_and_works_after_the_token_changed()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var masterKey = Core.Secrets.MasterKey.Generate().ToBase64();
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = masterKey });
        using var console = ConsoleClient.For(first);
        var oldSession = SessionCookie(await console.SignInAsync());
        var created = await ScalarAsync(db, "SELECT created_at FROM admin_sessions");
        await Task.Delay(50);
        using var again = await console.PostFormAsync("/", new Dictionary<string, string> { ["token"] = ModelgateApp.AdminToken }, action: "/sign-in"); // with the session cookie still present
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1L, await CountAsync(db, "admin_sessions"));
        Assert.NotEqual(created, await ScalarAsync(db, "SELECT created_at FROM admin_sessions"));

        // The token changes while the sign-in page is open: the form is sent with the old session cookie, which is
        // refused and ended in that request; the sign-in with the new token still gives a working session.
        const string newToken = "mg-the-token-after-the-change-0000";
        await using var changed = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = masterKey, ["MODELGATE_ADMIN_TOKEN"] = newToken });
        using var browser = changed.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var form = await browser.GetAsync("/sign-in");
        var csrfCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("modelgate_csrf=", StringComparison.Ordinal));
        var csrf = System.Text.RegularExpressions.Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = newToken, ["__csrf"] = WebUtility.HtmlDecode(csrf) }),
        };
        post.Headers.Add("Cookie", $"{oldSession}; {csrfCookie[..csrfCookie.IndexOf(';', StringComparison.Ordinal)]}");
        using var signedIn = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(changed, SessionCookie(signedIn)));
    }

    private static async Task<long> CountAsync(TestDatabase db, string table) => long.Parse((await SqliteRows.ReadAsync(db, $"SELECT COUNT(*) FROM {table}"))[0]!, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string?> ScalarAsync(TestDatabase db, string sql) => (await SqliteRows.ReadAsync(db, sql)).FirstOrDefault();

    private static async Task<List<string?>> XmlAsync(TestDatabase db) => await SqliteRows.ReadAsync(db, "SELECT xml FROM data_protection_keys");

    private static string SessionCookie(HttpResponseMessage signIn)
    {
        // The last one counts, as in a browser (a refused old session is deleted in the same answer).
        var header = signIn.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith("modelgate_session=", StringComparison.Ordinal));
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

}
