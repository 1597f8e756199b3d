using System.Net.Http.Json;
using System.Text.Json;
using Modelgate.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Modelgate.Ui.Tests;

/// <summary>
/// The administrator's whole day in the browser: sign in, add a provider with its key and test it, add two models,
/// make one the agents default and see the API and the resolution agree, change it back, read usage, roll back.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminFlowTests(ConsoleFixture fixture)
{
    private const string ProviderKey = "sk-ui-flow-key-7f3a9c2e4b6d8f10aa";
    private const string WrongKey = "sk-ui-wrong-key-1234567890abcdef";

    [Fact]
    public async Task An_administrator_configures_Modelgate_end_to_end_in_the_browser()
    {
        fixture.Upstream.RequiredKey = ProviderKey;
        await using var session = await fixture.OpenAsync();
        var page = session.Page;

        // Sign in: a wrong token is refused with a readable message, the right one opens the console.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
        await session.ScreenshotAsync("sign-in");
        await page.GetByLabel("Admin token").FillAsync("not-the-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That is not the admin token");
        await session.SignInAsync();

        // A provider with its key: the list shows the mask, never the key.
        await session.OpenAsync("/providers", "Providers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add provider" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("openai-flow");
        await page.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "OpenAI" });
        await page.GetByLabel("Base URL").FillAsync(fixture.Upstream.Url + "/v1");
        await page.GetByLabel("Key", new() { Exact = true }).FillAsync(ProviderKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add provider" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Provider openai-flow added.");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "openai-flow" });
        await Expect(row).ToContainTextAsync(ProviderKey[..8] + "..." + ProviderKey[^4..]);
        Assert.DoesNotContain(ProviderKey, await page.ContentAsync());

        // Test connection makes a real call with the stored key.
        await row.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.Locator("#test-result")).ToContainTextAsync("Test of openai-flow: connected");
        await Expect(page.Locator("#test-result")).ToContainTextAsync("it lists 3 models (fake-chat-large, fake-chat-small, fake-embed)");
        Assert.Contains(fixture.Upstream.Requests, r => r.Path == "/v1/models" && r.Authorization == "Bearer " + ProviderKey);
        await session.ScreenshotAsync("providers");

        // The edit form never shows the key; replacing it with a wrong one makes the test fail readably.
        await row.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.Locator("#key-current")).ToContainTextAsync("Stored key:");
        Assert.Equal("", await page.GetByLabel("Replace key").InputValueAsync());
        Assert.DoesNotContain(ProviderKey, await page.ContentAsync());
        await session.ScreenshotAsync("provider-edit");
        await page.GetByLabel("Replace key").FillAsync(WrongKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Provider openai-flow saved.");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "openai-flow" }).GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.Locator("#test-result")).ToContainTextAsync("The provider refused the key (HTTP 401)");
        Assert.DoesNotContain(WrongKey, await page.ContentAsync());

        // Put the right key back.
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "openai-flow" }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Replace key").FillAsync(ProviderKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Provider openai-flow saved.");

        // A limit that is not a number is refused as typed (never saved as "no limit"); unticking Active deactivates.
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "openai-flow" }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Requests per minute", new() { Exact = true }).FillAsync("10k");
        await page.GetByLabel("Active (its models can be used)").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator("#requests_per_minute-error")).ToContainTextAsync("'10k' is not a whole number");
        var flow = (await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-providers")).GetProperty("data").EnumerateArray().Single(p => p.Str("name") == "openai-flow");
        Assert.True(flow.GetProperty("is_active").GetBoolean());
        await page.GetByLabel("Requests per minute", new() { Exact = true }).FillAsync("");
        await Expect(page.GetByLabel("Active (its models can be used)")).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Provider openai-flow saved.");
        Assert.False((await ProviderAsync(flow.Str("id"))).GetProperty("is_active").GetBoolean());
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "openai-flow" }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Active (its models can be used)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Provider openai-flow saved.");
        Assert.True((await ProviderAsync(flow.Str("id"))).GetProperty("is_active").GetBoolean());

        // Two models; a bad price is refused next to its field and nothing is written.
        await AddModelAsync(session, "fake-chat-large", "Flow Large", input: "-1");
        await Expect(page.Locator("#input_price_per_million-error")).ToContainTextAsync("must not be negative");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not saved");
        Assert.Empty(await ModelsNamedAsync("fake-chat-large"));
        await page.GetByLabel("Input", new() { Exact = true }).FillAsync("2,50"); // a decimal comma is refused, not read as 250
        await page.GetByRole(AriaRole.Button, new() { Name = "Add model" }).ClickAsync();
        await Expect(page.Locator("#input_price_per_million-error")).ToContainTextAsync("'2,50' is not a number such as 2.50");
        Assert.Empty(await ModelsNamedAsync("fake-chat-large"));
        await page.GetByLabel("Input", new() { Exact = true }).FillAsync("2.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add model" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Model Flow Large added.");
        await AddModelAsync(session, "fake-chat-small", "Flow Small", input: "0.15");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Model Flow Small added.");
        var large = (await ModelsNamedAsync("fake-chat-large")).Single();
        var small = (await ModelsNamedAsync("fake-chat-small")).Single();
        Assert.Equal(2.5m, large.GetProperty("input_price_per_million").GetDecimal());

        // The filter narrows the list.
        await page.GetByLabel("Search").FillAsync("small");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Flow Small" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Flow Large" })).ToHaveCountAsync(0);
        await session.OpenAsync("/models", "Models");
        await page.GetByRole(AriaRole.Link, new() { Name = "Flow Large" }).ClickAsync();
        await Expect(page.GetByLabel("Input", new() { Exact = true })).ToHaveValueAsync("2.5");
        await Expect(page.GetByLabel("Output", new() { Exact = true })).ToHaveValueAsync("10"); // as typed, not as stored ("10.0")
        await session.ScreenshotAsync("model-edit");
        await page.GetByLabel("Active", new() { Exact = true }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Model Flow Large saved.");
        Assert.False((await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-models/" + large.Str("id"))).GetProperty("is_active").GetBoolean());
        await page.GetByRole(AriaRole.Link, new() { Name = "Flow Large" }).ClickAsync();
        await page.GetByLabel("Active", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Model Flow Large saved.");
        Assert.True((await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-models/" + large.Str("id"))).GetProperty("is_active").GetBoolean());

        // An embedding model and a retired chat model exist too: neither may be offered as a chat default.
        var flowProvider = large.Str("provider_id");
        await (await fixture.Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = flowProvider, model_id = "fake-embed", display_name = "Flow Embed", type = "embedding" })).ExpectAsync(System.Net.HttpStatusCode.Created);
        await (await fixture.Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = flowProvider, model_id = "fake-chat-retired", display_name = "Flow Retired", is_active = false })).ExpectAsync(System.Net.HttpStatusCode.Created);

        // Agents default: one choice and one click; the API and the resolution agree at once.
        await session.OpenAsync("/defaults", "Defaults");
        var agents = page.Locator("tr[data-purpose='agents']");
        await agents.GetByLabel("Default model for agents").SelectOptionAsync(new SelectOptionValue { Label = "Flow Large (openai-flow)" });
        await agents.GetByRole(AriaRole.Button, new() { Name = "Set" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Flow Large is now the default for agents.");
        await Expect(agents).ToContainTextAsync("Flow Large");
        await Expect(agents).ToContainTextAsync("database");
        Assert.Equal("fake-chat-large", (await DefaultsAsync()).GetProperty("agents").Str("model_id"));
        var resolved = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-resolve?purpose=agents");
        Assert.Equal("fake-chat-large", resolved.GetProperty("model").Str("model_id"));
        Assert.Equal("database", resolved.Str("source"));
        await session.OpenAsync("/", "Overview");
        await Expect(page.Locator("tr[data-purpose='agents']")).ToContainTextAsync("Flow Large");
        var versionWithLarge = await LatestVersionAsync();

        // An embedding model or an inactive one is never offered as the chat default.
        await session.OpenAsync("/defaults", "Defaults");
        var chatChoices = await page.Locator("tr[data-purpose='chat'] select option").AllInnerTextsAsync();
        Assert.Contains("Flow Small (openai-flow)", chatChoices);
        Assert.DoesNotContain("Flow Embed (openai-flow)", chatChoices);
        Assert.DoesNotContain("Flow Retired (openai-flow)", chatChoices);
        Assert.Contains("Flow Embed (openai-flow)", await page.Locator("tr[data-purpose='embeddings'] select option").AllInnerTextsAsync());
        await session.ScreenshotAsync("defaults");

        // Change it back: unset (after a confirmation) and the API agrees.
        await page.Locator("tr[data-purpose='agents']").GetByRole(AriaRole.Button, new() { Name = "Unset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The default for agents is unset.");
        Assert.Contains("Unset the default for agents?", session.Dialogs);
        Assert.Equal(JsonValueKind.Null, (await DefaultsAsync()).GetProperty("agents").ValueKind);

        // Usage with seeded calls: totals, per-model table and latency agree with what was recorded.
        await UsageSeed.RecordAsync(fixture,
        [
            .. Enumerable.Range(0, 3).SelectMany(day => Enumerable.Range(0, 4).Select(i => new UsageSeed.Call(Guid.Parse(large.Str("id")), "fake-chat-large", Guid.Parse(large.Str("provider_id")), day, 0.01m, 200 + i * 100))),
            .. Enumerable.Range(0, 3).SelectMany(day => Enumerable.Range(0, 2).Select(_ => new UsageSeed.Call(Guid.Parse(small.Str("id")), "fake-chat-small", Guid.Parse(small.Str("provider_id")), day, 0.001m, 80))),
        ]);
        await session.OpenAsync("/usage?range=7d", "Usage");
        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("18");
        await Expect(page.Locator("#total-cost")).ToHaveTextAsync("$0.126");
        await Expect(page.Locator("#cost-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("#latency-table tr").Filter(new() { HasText = "fake-chat-large" })).ToContainTextAsync("$0.12");
        await Expect(page.Locator("#latency-table tr").Filter(new() { HasText = "fake-chat-small" })).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\b(7[7-9]|8[0-3]) ms")); // 80 ms within the histogram's ±2 %
        await session.ScreenshotAsync("usage");
        await page.GetByRole(AriaRole.Link, new() { Name = "24 hours" }).ClickAsync();
        await Expect(page.Locator("#total-requests")).ToHaveTextAsync("6");

        // The models list shows each row's scorecard.
        await session.OpenAsync("/models", "Models");
        await Expect(page.Locator("tr[data-model='fake-chat-large']")).ToContainTextAsync("100%");
        Assert.True(await page.EvaluateAsync<bool>("() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth; }"),
            "At laptop width the models table fits without scrolling sideways.");
        await session.ScreenshotAsync("models");
        await page.Locator("tr[data-model='fake-chat-small']").GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Model Flow Small deactivated.");
        await Expect(page.Locator("tr[data-model='fake-chat-small']")).ToContainTextAsync("inactive");
        Assert.False((await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-models/" + small.Str("id"))).GetProperty("is_active").GetBoolean());
        await page.Locator("tr[data-model='fake-chat-small']").GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Model Flow Small activated.");

        // Roll back to the version where Flow Large was the agents default, after confirming.
        await session.OpenAsync("/history", "Configuration history");
        await session.ScreenshotAsync("history");
        await page.GetByRole(AriaRole.Link, new() { Name = $"v{versionWithLarge}", Exact = true }).ClickAsync();
        await Expect(page.Locator("#diff")).ToContainTextAsync("agents");
        await Expect(page.Locator("#diff")).ToContainTextAsync("fake-chat-large");
        await session.ScreenshotAsync("history-version");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Roll back to v{versionWithLarge}…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Roll back to version {versionWithLarge}?");
        await Expect(page.Locator("main")).ToContainTextAsync("These later changes are undone");
        await session.ScreenshotAsync("history-rollback");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Yes, roll back to v{versionWithLarge}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Rolled back to v{versionWithLarge}");
        Assert.Equal("fake-chat-large", (await DefaultsAsync()).GetProperty("agents").Str("model_id"));

        // The audit log and the instances page show who did it and where the fleet stands.
        await session.OpenAsync("/audit", "Audit log");
        await Expect(page.Locator("#audit")).ToContainTextAsync("config.rollback");
        await Expect(page.Locator("#audit")).ToContainTextAsync("admin-token:");
        await session.ScreenshotAsync("audit");
        await session.OpenAsync("/instances", "Instances");
        await Expect(page.Locator("#instances")).ToContainTextAsync("this one");
        await Expect(page.Locator("#instances")).ToContainTextAsync("current");
        await session.ScreenshotAsync("instances");
        await (await fixture.Admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = small.Str("id") })).ExpectAsync(System.Net.HttpStatusCode.OK);
        await session.OpenAsync("/", "Overview");
        await Expect(page.Locator("tr[data-purpose='chat']")).ToContainTextAsync("Flow Small");
        await session.ScreenshotAsync("overview");

        // Signing out ends the session.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in$"));
        await page.GotoAsync("/providers");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));

        Assert.Empty(session.Errors);
    }

    private async Task AddModelAsync(ConsoleSession session, string modelId, string displayName, string input)
    {
        var page = session.Page;
        await session.OpenAsync("/models", "Models");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add model" }).ClickAsync();
        await page.GetByLabel("Provider").SelectOptionAsync(new SelectOptionValue { Label = "openai-flow (openai)" });
        await page.GetByLabel("Model id").FillAsync(modelId);
        await page.GetByLabel("Display name").FillAsync(displayName);
        await page.GetByLabel("Input", new() { Exact = true }).FillAsync(input);
        await page.GetByLabel("Output", new() { Exact = true }).FillAsync("10");
        await page.GetByLabel("Context window (tokens)").FillAsync("128000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add model" }).ClickAsync();
    }

    private async Task<List<JsonElement>> ModelsNamedAsync(string modelId)
    {
        var list = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-models?limit=200&search=" + modelId);
        return [.. list.GetProperty("data").EnumerateArray().Where(m => m.Str("model_id") == modelId)];
    }

    private async Task<JsonElement> ProviderAsync(string id) => await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-providers/" + id);

    private async Task<JsonElement> DefaultsAsync() => await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/llm-defaults");

    private async Task<long> LatestVersionAsync()
    {
        var versions = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/v1/config/versions?limit=1");
        return versions.GetProperty("data")[0].GetProperty("version").GetInt64();
    }
}
