using Deque.AxeCore.Playwright;
using Modelgate.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Modelgate.Ui.Tests;

/// <summary>Every page at laptop width and on a phone-sized window, by keyboard, and through axe's accessibility rules.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LayoutAndAccessibilityTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task No_page_scrolls_sideways_and_the_navigation_stays_reachable(int width, int height)
    {
        await using var session = await fixture.OpenAsync(width, height);
        await session.SignInAsync();
        foreach (var (path, heading) in ConsolePages.All)
        {
            await session.OpenAsync(path, heading);
            var overflow = await session.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            var culprits = overflow <= 0 ? "" : await session.Page.EvaluateAsync<string>(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id).join(', ')");
            Assert.True(overflow <= 0, $"{path} at {width}px is {overflow}px wider than the window: {culprits}");
            await Expect(session.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Usage" })).ToBeVisibleAsync();
        }

        if (width < 500)
        {
            await session.OpenAsync("/models", "Models");
            await session.ScreenshotAsync("narrow-models");
        }

        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task Signing_in_and_moving_around_work_with_the_keyboard_alone()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/sign-in");
        await Expect(page.GetByLabel("Admin token")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ModelgateApp.AdminToken);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();

        // The first Tab lands on "Skip to content", which moves focus past the navigation.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // From the top of a freshly loaded page, tabbing through the navigation reaches "Providers"; Enter follows it.
        await page.GotoAsync("/");
        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("() => document.activeElement?.textContent?.trim() ?? ''") != "Providers"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Providers", Level = 1 })).ToBeVisibleAsync();
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task Axe_finds_no_serious_accessibility_violation_on_any_page()
    {
        await using var session = await fixture.OpenAsync();
        await session.SignInAsync();
        var found = new List<string>();
        foreach (var (path, heading) in ConsolePages.All.Append(("/sign-in", "Overview")))
        {
            if (path == "/sign-in")
            {
                await session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
                await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Modelgate" })).ToBeVisibleAsync();
            }
            else
            {
                await session.OpenAsync(path, heading);
            }

            var result = await session.Page.RunAxe();
            found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
        }

        Assert.Empty(found);
        Assert.Empty(session.Errors);
    }
}
