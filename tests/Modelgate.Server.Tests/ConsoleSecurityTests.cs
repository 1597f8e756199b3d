using System.Net;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>The admin console's session, CSRF protection and secrecy, checked at the HTTP level.</summary>
public sealed class ConsoleSecurityTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private const string Key = "sk-console-secret-9d8c7b6a5f4e3d2c1b0a";

    [Theory]
    [InlineData("/")]
    [InlineData("/providers")]
    [InlineData("/models/new")]
    [InlineData("/history/1/rollback")]
    public async Task A_console_page_without_a_session_redirects_to_sign_in(string path)
    {
        using var console = ConsoleClient.For(server.App);
        using var response = await console.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_strict_cookie_and_a_wrong_token_sets_none()
    {
        using var console = ConsoleClient.For(server.App);
        using var wrong = await console.SignInAsync("mg-not-the-admin-token");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That is not the admin token", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong.Headers.TryGetValues("Set-Cookie", out var none) ? none : [], c => c.StartsWith("modelgate_session=", StringComparison.Ordinal));

        using var right = await console.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var cookie = right.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("modelgate_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ModelgateApp.AdminToken, cookie, StringComparison.Ordinal);
        var (status, html) = await console.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Overview</h1>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    public async Task Sign_in_never_redirects_off_the_site(string returnUrl)
    {
        using var console = ConsoleClient.For(server.App);
        using var response = await console.SignInAsync(returnUrl: returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_form_posted_without_the_CSRF_token_is_refused_and_writes_nothing()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var name = Catalog.Unique("csrf");
        using var forged = await console.PostFormAsync("/providers/new", new Dictionary<string, string> { ["name"] = name, ["type"] = "ollama" }, withCsrf: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var providers = await (await server.Admin.GetAsync("/api/v1/llm-providers?limit=200")).JsonAsync();
        Assert.DoesNotContain(providers.GetProperty("data").EnumerateArray(), p => p.Str("name") == name);

        using var signOut = await console.PostFormAsync("/", new Dictionary<string, string>(), action: "/sign-out", withCsrf: false);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/")).Status);
    }

    [Fact]
    public async Task The_admin_API_does_not_accept_the_console_cookie()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        using var response = await console.Http.GetAsync("/api/v1/llm-providers");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_provider_key_entered_in_the_console_never_comes_back_to_the_browser_or_the_logs()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var name = Catalog.Unique("secret");

        // A refused form (bad base URL) is shown again without the key.
        using var refused = await console.PostFormAsync("/providers/new", Form(name, "not a url"));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("base_url-error", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, refusedHtml, StringComparison.Ordinal);

        using var created = await console.PostFormAsync("/providers/new", Form(name, "https://api.openai.com/v1"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var provider = (await (await server.Admin.GetAsync("/api/v1/llm-providers?limit=200")).JsonAsync())
            .GetProperty("data").EnumerateArray().Single(p => p.Str("name") == name);
        Assert.True(provider.GetProperty("has_api_key").GetBoolean());
        var version = (await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

        foreach (var page in new[] { "/providers", "/providers/" + provider.Str("id"), "/history/" + version, "/audit", "/" })
        {
            var (status, html) = await console.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain(Key, html, StringComparison.Ordinal);
        }

        Assert.Contains(provider.Str("api_key_mask"), (await console.GetAsync("/providers")).Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, server.App.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_Protection_keys_are_stored_in_the_database_encrypted_with_the_master_key()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var rows = await SqliteRows.ReadAsync(server.Database, "SELECT xml FROM data_protection_keys");
        Assert.NotEmpty(rows);
        Assert.All(rows, xml =>
        {
            Assert.Contains("<encryptedKey", xml, StringComparison.Ordinal);
            Assert.Contains("mg1.", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }

    private static Dictionary<string, string> Form(string name, string baseUrl) => new()
    {
        ["name"] = name, ["type"] = "openai", ["base_url"] = baseUrl, ["api_key"] = Key, ["is_active"] = "true",
    };
}
