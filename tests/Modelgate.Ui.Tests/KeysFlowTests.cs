using Modelgate.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Modelgate.Ui.Tests;

/// <summary>Virtual keys in the browser: added with a budget and limits, the secret shown once, limits put in shadow mode.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeysFlowTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_key_added_with_limits_shows_its_secret_once_and_its_limits_on_the_list()
    {
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await session.SignInAsync();

        await session.OpenAsync("/keys", "Keys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add key" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("browser-key");
        await page.GetByLabel("Amount (USD)").FillAsync("12.5");
        await page.GetByLabel("Requests per minute", new() { Exact = true }).FillAsync("90");
        await page.GetByLabel("Requests at once", new() { Exact = true }).FillAsync("2");
        await page.GetByLabel("Budget in shadow mode").CheckAsync();
        await session.ScreenshotAsync("key-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add key" }).ClickAsync();
        var secret = await page.GetByLabel("Key", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith("mg-", secret, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "browser-key" });
        await Expect(row.Locator("td[data-label='Limits']")).ToHaveTextAsync("90 req/min, 2 at once");
        await Expect(row.Locator("td[data-label='Budget']")).ToHaveTextAsync("$12.50 monthly (shadow)");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await session.ScreenshotAsync("keys");

        // Watch the request limit instead of the budget: both are ticked or unticked on the key's form.
        await row.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Requests per minute in shadow mode").CheckAsync();
        await page.GetByLabel("Budget in shadow mode").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Key browser-key saved.");
        await Expect(row.Locator("td[data-label='Limits']")).ToHaveTextAsync("90 req/min (shadow), 2 at once");
        await Expect(row.Locator("td[data-label='Budget']")).ToHaveTextAsync("$12.50 monthly");

        Assert.Empty(session.Errors);
    }
}
