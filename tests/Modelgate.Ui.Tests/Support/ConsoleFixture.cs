using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Ui.Tests.Support;

/// <summary>
/// A Modelgate server listening on a random loopback port with a fresh SQLite database, a fake upstream for its
/// providers, and one headless Chromium (Debian's, by path) for the tests of the collection.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public ModelgateApp App { get; private set; } = null!;
    public FakeUpstream Upstream { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The admin API with the admin token, to check what the console did (and to seed what it shows).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync();
        Database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        App = new ModelgateApp(Database.Options, Database.DataDirectory.Path, new Dictionary<string, string?>
        {
            ["MODELGATE_ALLOW_PRIVATE_BASE_URLS"] = "true",
        });
        App.UseKestrel(0);
        App.StartServer();
        Url = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Admin = new HttpClient { BaseAddress = new Uri(Url) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ModelgateApp.AdminToken);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path(),
            Headless = true,
            Args = Chromium.Arguments,
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        Admin.Dispose();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>A fresh browser context (no cookies) with one page, recording console errors; desktop size unless told.</summary>
    public async Task<ConsoleSession> OpenAsync(int width = 1366, int height = 900) =>
        await ConsoleSession.OpenAsync(this, width, height);
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
