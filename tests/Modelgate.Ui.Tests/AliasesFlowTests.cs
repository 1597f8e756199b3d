using System.Net;
using Modelgate.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Modelgate.Ui.Tests;

/// <summary>Aliases in the browser: added through the form, listed with what they resolve to, refused when taken, deleted after a confirmation.</summary>
[Collection(ExperimentsConsoleCollection.Name)]
public sealed class AliasesFlowTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_alias_added_in_the_form_is_listed_with_what_it_resolves_to_and_deleted_after_a_confirmation()
    {
        var setup = await ExperimentSetup.CreateAsync(fixture, "ui-alias");
        var name = Catalog.Unique("smart");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await session.SignInAsync();

        await session.OpenAsync("/aliases", "Aliases");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add alias" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add an alias", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Target model").SelectOptionAsync(new SelectOptionValue { Label = setup.TreatmentLabel });
        await page.GetByLabel("Description").FillAsync("The cheap model, for now");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add alias" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Alias {name} added.");
        var row = page.Locator($"tr[data-alias='{name}']");
        await Expect(row.Locator("td[data-label='Resolves to']")).ToHaveTextAsync($"{setup.Treatment.Str("model_id")} on {setup.Provider}");
        await Expect(row.Locator("td[data-label='Description']")).ToHaveTextAsync("The cheap model, for now");
        await Expect(row.Locator("td[data-label='Kind']")).ToHaveTextAsync("alias");
        await session.ScreenshotAsync("aliases");

        // The same name again is refused next to the name field, and the first alias is unchanged.
        await session.OpenAsync("/aliases/new", "Add an alias");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Target model").SelectOptionAsync(new SelectOptionValue { Label = $"{setup.Control.Str("display_name")} ({setup.Provider})" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add alias" }).ClickAsync();
        await Expect(page.Locator("#name-error")).ToContainTextAsync($"an alias named '{name}' exists already");
        Assert.Equal(setup.Treatment.Str("id"), (await (await fixture.Admin.GetAsync($"/api/v1/aliases/{name}")).ExpectAsync(HttpStatusCode.OK)).Str("model_id"));

        await session.OpenAsync("/aliases", "Aliases");
        await page.Locator($"tr[data-alias='{name}']").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Alias {name} deleted");
        Assert.Contains($"Delete alias {name}? Calls naming it are refused from then on.", session.Dialogs);
        await Expect(page.Locator($"tr[data-alias='{name}']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Admin.GetAsync($"/api/v1/aliases/{name}")).StatusCode);

        Assert.Empty(session.Errors);
    }
}
