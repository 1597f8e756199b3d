using System.Collections.Concurrent;

namespace Modelgate.Ui.Tests.Support;

/// <summary>
/// One person at the console: a browser context with a page, every console error and uncaught script error
/// collected (a test ends by asserting there were none), and confirm dialogs accepted as a user would.
/// </summary>
public sealed class ConsoleSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();

    private ConsoleSession(IBrowserContext context, IPage page, string url) => (_context, Page, Url) = (context, page, url);

    public IPage Page { get; }

    public string Url { get; }

    /// <summary>Messages of confirm dialogs, in order (each was accepted).</summary>
    public ConcurrentQueue<string> Dialogs { get; } = new();

    public IReadOnlyCollection<string> Errors => _errors;

    internal static async Task<ConsoleSession> OpenAsync(ConsoleFixture fixture, int width, int height)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Url,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var session = new ConsoleSession(context, page, fixture.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session._errors.Enqueue($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => session._errors.Enqueue("script: " + error);
        page.Dialog += async (_, dialog) =>
        {
            session.Dialogs.Enqueue(dialog.Message);
            await dialog.AcceptAsync();
        };
        return session;
    }

    public async Task SignInAsync(string token = ModelgateApp.AdminToken)
    {
        await Page.GotoAsync("/sign-in");
        await Page.GetByLabel("Admin token").FillAsync(token);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Opens a console path and waits for its main heading.</summary>
    public async Task OpenAsync(string path, string heading)
    {
        await Page.GotoAsync(path);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page screenshot under TestResults/screenshots (and MODELGATE_SCREENSHOTS_DIR when set).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var bytes = await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        foreach (var path in Screenshots.PathsFor(name))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
        }
    }

    /// <summary>The visible text of the whole page.</summary>
    public Task<string> TextAsync() => Page.Locator("body").InnerTextAsync();

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
