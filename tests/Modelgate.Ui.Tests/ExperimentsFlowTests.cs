using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Modelgate.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Modelgate.Ui.Tests;

/// <summary>
/// Experiments in the browser: one added through the form, listed, fed by gateway calls until its page shows both
/// variants, the comparison and the guardrail, then stopped after a confirmation; another promoted after a confirmation
/// that says what changes, and the purpose's default changed with it.
/// </summary>
[Collection(ExperimentsConsoleCollection.Name)]
public sealed class ExperimentsFlowTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_experiment_added_in_the_form_shows_its_variants_results_and_comparison_and_stops_after_a_confirmation()
    {
        var setup = await ExperimentSetup.CreateAsync(fixture, "ui-exp");
        var name = Catalog.Unique("cheaper-agents");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await session.SignInAsync();

        await session.OpenAsync("/experiments", "Experiments");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add experiment" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add an experiment", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Experiment name").FillAsync(name);
        await page.GetByLabel("Target", new() { Exact = true }).FillAsync(setup.Purpose);
        var treatment = page.GetByRole(AriaRole.Group, new() { Name = "Variant 2" });
        await treatment.GetByLabel("Name").FillAsync("mini");
        await treatment.GetByLabel("Model").SelectOptionAsync(new SelectOptionValue { Label = setup.TreatmentLabel });
        await treatment.GetByLabel("Temperature").FillAsync("0.3");
        var guardrail = page.GetByRole(AriaRole.Group, new() { Name = "Guardrail 1" });
        await guardrail.GetByLabel("Metric").SelectOptionAsync(new SelectOptionValue { Label = "Error rate" });
        await guardrail.GetByLabel("Max increase (points)").FillAsync("5");
        await page.GetByLabel("Description").FillAsync("Is the mini model good enough for agents?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add experiment" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Experiment {name} added.");
        var id = Regex.Match(page.Url, "/experiments/([0-9a-f-]{36})$").Groups[1].Value;
        var stored = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/experiments/{id}");
        Assert.Equal(0.05, stored.GetProperty("guardrails")[0].GetProperty("max_increase").GetDouble(), 6);
        Assert.Equal(setup.Treatment.Str("id"), stored.GetProperty("variants")[1].Str("model_id"));
        Assert.Equal(0.3, stored.GetProperty("variants")[1].GetProperty("parameters").GetProperty("temperature").GetDouble());

        await session.OpenAsync("/experiments", "Experiments");
        var row = page.Locator($"tr[data-experiment='{name}']");
        await Expect(row.Locator("td[data-label='Phase']")).ToHaveTextAsync("running");
        await Expect(row.Locator("td[data-label='Split']")).ToHaveTextAsync("control (control) 50% · mini 50%");
        await Expect(row.Locator("td[data-label='Target']")).ToContainTextAsync(setup.Purpose);

        // Calls through the gateway, each its own session: both variants get some, and the page compares them.
        await setup.CallAsync(id, sessions: 40);
        await setup.SeedAsync(id, perVariant: 600); // earlier hours, for intervals narrow enough to decide and charts over time
        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        foreach (var variant in new[] { "control", "mini" })
        {
            var calls = page.Locator($"#split tr[data-variant='{variant}'] td[data-label='Calls']");
            await Expect(calls).Not.ToHaveTextAsync("0");
        }

        await Expect(page.Locator("#srm")).ToContainTextAsync(new Regex("The split came out as configured|Sample ratio mismatch"));
        var errorRate = page.Locator("#comparison tr[data-variant='mini'][data-metric='error_rate']");
        await Expect(errorRate.Locator(".interval-text")).ToHaveTextAsync(new Regex(@"^[+−]\d+\.\d+ points \(95% interval [^)]+ to [^)]+\)$"));
        await Expect(errorRate.Locator("svg.interval")).ToBeVisibleAsync();
        await Expect(page.Locator("#comparison tr[data-variant='mini'][data-metric='cost_per_call']")).ToBeVisibleAsync();
        await Expect(page.Locator("#guardrails tr[data-variant='mini'][data-metric='error_rate'] td[data-label='What it says']")).ToContainTextAsync("error rate of 'mini'");
        await Expect(page.Locator("#calls-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("#latency-chart")).ToBeVisibleAsync();
        var violations = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}");
        Assert.Empty(violations);
        await session.ScreenshotAsync("experiment-detail");

        // Stop: a page of its own asks for a reason and a confirmation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Stop…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Stop experiment {name}?", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Reason").FillAsync("enough seen");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Yes, stop {name}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Experiment {name} stopped");
        await Expect(page.Locator("#phase")).ToHaveTextAsync(new Regex(@"stopped\s+enough seen"));
        Assert.Equal("stopped", (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/experiments/{id}")).Str("phase"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stop…" })).ToHaveCountAsync(0);
        await session.OpenAsync("/experiments", "Experiments");
        await Expect(row.Locator("td[data-label='Phase']")).ToContainTextAsync("enough seen");
        await session.ScreenshotAsync("experiments");
        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();

        // Once stopped, it may be deleted (after the browser's confirmation).
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Experiment {name} deleted");
        Assert.Contains(session.Dialogs, d => d.StartsWith($"Delete experiment {name}?", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Admin.GetAsync($"/api/v1/experiments/{id}")).StatusCode);

        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task Promoting_a_variant_says_what_changes_and_after_the_confirmation_the_purpose_defaults_to_its_model()
    {
        var setup = await ExperimentSetup.CreateAsync(fixture, "ui-promote");
        var name = Catalog.Unique("promote");
        var created = await (await fixture.Admin.PostJsonAsync("/api/v1/experiments", new
        {
            name, target = setup.Purpose,
            variants = new object[] { new { name = "control", weight = 50 }, new { name = "mini", model_id = setup.Treatment.Str("id"), weight = 50 } },
        })).ExpectAsync(HttpStatusCode.Created);
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await session.SignInAsync();

        await session.OpenAsync($"/experiments/{created.Str("id")}", name);
        await page.Locator("#split tr[data-variant='mini']").GetByRole(AriaRole.Link, new() { Name = "Promote mini…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Promote variant mini?", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#change")).ToHaveTextAsync(
            $"Purpose '{setup.Purpose}' will default to model '{setup.Treatment.Str("model_id")}'; the experiment stops; a config rollback undoes it.");
        Assert.Equal(setup.Control.Str("model_id"), await DefaultModelAsync(setup.Purpose)); // nothing changes before the confirmation

        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, promote mini" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Promoted variant mini");
        await Expect(page.Locator("#phase")).ToContainTextAsync("promoted variant 'mini'");
        Assert.Equal(setup.Treatment.Str("model_id"), await DefaultModelAsync(setup.Purpose));
        Assert.Empty(session.Errors);
    }

    private async Task<string> DefaultModelAsync(string purpose)
    {
        var defaults = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-defaults");
        var type = purpose["agents/".Length..];
        return defaults.GetProperty("agent_types").GetProperty(type).Str("model_id");
    }
}
