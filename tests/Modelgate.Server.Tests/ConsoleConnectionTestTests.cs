using System.Net;
using System.Net.Sockets;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>
/// The console's "Test connection": a real, authenticated model listing through each provider kind's SDK against a
/// fake upstream speaking that API, reported in a sentence that never contains the key.
/// </summary>
public sealed class ConsoleConnectionTestTests(SqliteServer server) : IClassFixture<SqliteServer>, IAsyncLifetime
{
    private const string Key = "sk-conn-test-key-0123456789abcdefXYZ";
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData("openai", "/v1", "/v1/models")]
    [InlineData("azure-openai", "/openai/v1", "/openai/v1/models")]
    [InlineData("anthropic", "", "/v1/models")]
    [InlineData("ollama", "", "/api/tags")]
    [InlineData("openai-compatible", "/v1", "/v1/models")]
    public async Task Each_provider_kind_lists_its_models_with_the_stored_key(string kind, string basePath, string listingPath)
    {
        _upstream.RequiredKey = Key;
        var html = await TestAsync(kind, _upstream.Url + basePath, Key);
        Assert.True(html.Contains(": connected", StringComparison.Ordinal), html);
        Assert.Contains("it lists 3 models (fake-chat-large, fake-chat-small, fake-embed).", html, StringComparison.Ordinal);
        var request = Assert.Single(_upstream.Requests, r => r.Path == listingPath);
        Assert.Equal(Key, (kind == "anthropic" ? request.XApiKey : null) ?? request.Authorization?.Replace("Bearer ", "", StringComparison.Ordinal));
        Assert.DoesNotContain(Key, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "/v1")]
    [InlineData("anthropic", "")]
    public async Task A_refused_key_is_reported_without_the_key(string kind, string basePath)
    {
        _upstream.RequiredKey = "sk-the-right-one-000000000000000000";
        var html = await TestAsync(kind, _upstream.Url + basePath, Key);
        Assert.Contains("The provider refused the key (HTTP 401)", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, html, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, server.App.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_needs_a_key_and_has_none_is_not_called()
    {
        var html = await TestAsync("openai", _upstream.Url + "/v1", apiKey: null);
        Assert.Contains("has no API key, and openai needs one", html, StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task An_address_nobody_answers_at_is_reported_as_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var html = await TestAsync("openai", $"http://127.0.0.1:{port}/v1", Key);
        Assert.True(html.Contains("Could not reach the provider", StringComparison.Ordinal), html);
        Assert.DoesNotContain(Key, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Testing_a_provider_that_no_longer_exists_says_so()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        using var response = await console.PostFormAsync("/providers", new Dictionary<string, string>(), action: $"/providers?handler=Test&id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no provider with id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_replaced_on_another_instance_is_the_one_tested_at_once()
    {
        await using var db = await Modelgate.Testing.TestDatabase.CreateAsync(Modelgate.Storage.DatabaseKind.Sqlite);
        var settings = new Dictionary<string, string?>
        {
            ["MODELGATE_MASTER_KEY"] = Core.Secrets.MasterKey.Generate().ToBase64(), ["MODELGATE_ALLOW_PRIVATE_BASE_URLS"] = "true",
        };
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, settings);
        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, settings);
        using var console = ConsoleClient.For(second);
        await console.SignInAsync();
        using var admin = first.CreateAdminClient();
        var provider = await admin.CreateProviderAsync("openai", apiKey: "sk-the-old-key-00000000000000000000", baseUrl: _upstream.Url + "/v1");

        for (var round = 0; round < 5; round++)
        {
            // Replaced on the first instance, tested on the second straight away.
            var key = $"{Key}-{round}";
            _upstream.RequiredKey = key;
            await (await admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { api_key = key })).ExpectAsync(HttpStatusCode.OK);
            using var response = await console.PostFormAsync("/providers", new Dictionary<string, string>(), action: $"/providers?handler=Test&id={provider.Str("id")}");
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(html.Contains(": connected", StringComparison.Ordinal), $"round {round}: the second instance tested an older key");
        }
    }

    private async Task<string> TestAsync(string kind, string baseUrl, string? apiKey)
    {
        var provider = await server.Admin.CreateProviderAsync(kind, apiKey: apiKey, baseUrl: baseUrl);
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        using var response = await console.PostFormAsync("/providers", new Dictionary<string, string>(), action: $"/providers?handler=Test&id={provider.Str("id")}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var start = html.IndexOf("id=\"test-result\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The page shows no test result.");
        // The result block only, decoded as the browser shows it (so a failure message says what was reported).
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)]);
    }
}
