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
        // A provider and a model with long names give the tables rows to lay out; they are removed again afterwards.
        var provider = await fixture.Admin.CreateProviderAsync("openai", apiKey: "sk-layout-0123456789abcdef",
            baseUrl: "https://a-rather-long-resource-name.example.com/openai/v1/");
        await fixture.Admin.CreateModelAsync(provider.Str("id"), modelId: "a-very-long-model-id-2025-10-01-with-a-deployment-suffix");
        try
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

                if (width < 500)
                {
                    // On a phone the catalog's tables become one card per row instead of scrolling sideways.
                    var scrolling = await session.Page.EvaluateAsync<string>(
                        "() => [...document.querySelectorAll('.table-wrap')].filter(w => w.querySelector('table.stack') && w.scrollWidth > w.clientWidth).map(w => w.querySelector('thead th')?.textContent ?? '?').join(', ')");
                    Assert.True(scrolling == "", $"{path} at {width}px has tables that scroll sideways instead of stacking (first column: {scrolling})");
                }
            }

            if (width < 500)
            {
                await session.OpenAsync("/models", "Models");
                await Expect(session.Page.Locator("td[data-label='Provider']").Filter(new() { HasText = provider.Str("name") })).ToBeVisibleAsync();
                await session.ScreenshotAsync("narrow-models");
                await session.OpenAsync("/defaults", "Defaults");
                await Expect(session.Page.Locator("tr[data-purpose='chat']").GetByLabel("Default model for chat")).ToBeInViewportAsync();
                await session.ScreenshotAsync("narrow-defaults");
            }

            Assert.Empty(session.Errors);
        }
        finally
        {
            (await fixture.Admin.DeleteAsync($"/api/v1/llm-providers/{provider.Str("id")}?force=true")).EnsureSuccessStatusCode();
        }
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

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)] // the phone layout, where tables are cards
    public async Task Axe_finds_no_serious_accessibility_violation_on_any_page(int width, int height)
    {
        await using var session = await fixture.OpenAsync(width, height);
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
