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
        Assert.Contains("This page cannot be shown now: the database is unreachable", list, StringComparison.Ordinal);

        await postgres.StartAgainAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/providers")).Status);
    }

    [Fact]
    public async Task Signing_in_again_starts_a_new_session_and_the_old_cookie_never_comes_back()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var masterKey = Core.Secrets.MasterKey.Generate().ToBase64();
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = masterKey });
        using var console = ConsoleClient.For(first);
        var oldSession = SessionCookie(await console.SignInAsync());
        var oldId = await ScalarAsync(db, "SELECT id FROM admin_sessions");
        using var again = await SignInFromAnOpenFormAsync(first, ModelgateApp.AdminToken, oldSession); // a sign-in page left open in another tab
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var secondSession = SessionCookie(again);
        Assert.Equal(1L, await CountAsync(db, "admin_sessions"));
        Assert.NotEqual(oldId, await ScalarAsync(db, "SELECT id FROM admin_sessions"));
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(first, oldSession));
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(first, secondSession));

        // The token changes (to shut out a copied cookie) while the sign-in page is open: the form is sent with the
        // old session cookie. The sign-in with the new token gives a new working session, and the copied cookie stays dead.
        const string newToken = "mg-the-token-after-the-change-0000";
        await using var changed = new ModelgateApp(db.Options, db.DataDirectory.Path, new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = masterKey, ["MODELGATE_ADMIN_TOKEN"] = newToken });
        using var signedIn = await SignInFromAnOpenFormAsync(changed, newToken, secondSession);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(changed, SessionCookie(signedIn)));
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(changed, secondSession));
    }

    [Fact]
    public async Task Signing_out_while_the_database_is_away_ends_the_session_everywhere_once_it_is_back()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["MODELGATE_MASTER_KEY"] = Core.Secrets.MasterKey.Generate().ToBase64() };
        var options = new DatabaseOptions(DatabaseKind.Postgres, postgres.ConnectionString);
        await using var app = new ModelgateApp(options, data.Path, settings);
        await using var other = new ModelgateApp(options, data.Path, settings);
        using var console = ConsoleClient.For(app);
        var copied = SessionCookie(await console.SignInAsync());
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(other, copied));

        await postgres.StopAsync();
        using var signOut = await console.PostFormAsync("/", new Dictionary<string, string>(), action: "/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(app, copied));

        await postgres.StartAgainAsync();
        var refused = false;
        for (var i = 0; i < 100 && !refused; i++)
        {
            refused = await GetWithCookieAsync(other, copied) == HttpStatusCode.Redirect;
            await Task.Delay(refused ? 0 : 200);
        }

        Assert.True(refused, "the other instance refuses the copied cookie once the database is back");
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(app, copied));
    }

    // The sign-in form as a browser got it (no session then), sent with the session cookie the browser holds now.
    private static async Task<HttpResponseMessage> SignInFromAnOpenFormAsync(ModelgateApp app, string token, string sessionCookie)
    {
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var form = await browser.GetAsync("/sign-in");
        var csrfCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("modelgate_csrf=", StringComparison.Ordinal));
        var csrf = System.Text.RegularExpressions.Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__csrf"] = WebUtility.HtmlDecode(csrf) }),
        };
        post.Headers.Add("Cookie", $"{sessionCookie}; {csrfCookie[..csrfCookie.IndexOf(';', StringComparison.Ordinal)]}");
        return await browser.SendAsync(post);
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
