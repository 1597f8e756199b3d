using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Usage;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>Console pages' behaviour that is easier to pin down over HTTP than in a browser.</summary>
public sealed partial class ConsolePagesTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task A_browser_gets_an_HTML_error_page_for_a_console_address_and_the_API_keeps_its_problem_JSON()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        console.Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var missing = await console.Http.GetAsync("/providers/not-a-provider");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("text/html", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is nothing at this address", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var stale = await console.PostFormAsync("/providers/new", new Dictionary<string, string> { ["name"] = "x" }, withCsrf: false);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("The form could not be accepted", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var api = await server.Admin.GetAsync("/api/v1/no-such-thing");
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_rollback_over_more_changes_than_it_lists_says_how_many_more_it_undoes()
    {
        var target = await LatestVersionAsync();
        for (var i = 0; i < 205; i++)
        {
            await server.Admin.CreateProviderAsync("ollama");
        }

        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var (_, page) = await console.GetAsync($"/history/{target}/rollback");
        var undone = long.Parse(HeadField().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - target;
        Assert.InRange(undone, 205, long.MaxValue);
        Assert.Equal(200, Regex.Matches(page, "<li>v\\d+: ").Count);
        Assert.Contains($"and {undone - 200:N0} earlier changes after v{target}, {undone:N0} in all", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollback_confirmed_on_a_page_that_is_out_of_date_is_refused_and_changes_nothing()
    {
        var admin = server.Admin;
        await admin.CreateProviderAsync("ollama");
        var target = await LatestVersionAsync();
        await admin.CreateProviderAsync("ollama");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var (_, page) = await console.GetAsync($"/history/{target}/rollback");
        var shownHead = HeadField().Match(page).Groups[1].Value;
        Assert.Equal((target + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), shownHead);

        await admin.CreateProviderAsync("ollama"); // published after the page was shown
        var before = await LatestVersionAsync();
        using var confirm = await console.PostFormAsync($"/history/{target}/rollback", new Dictionary<string, string> { ["head"] = shownHead });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("The configuration changed since the rollback was reviewed", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await LatestVersionAsync());

        // Confirming the page as it is now rolls back.
        var (_, fresh) = await console.GetAsync($"/history/{target}/rollback");
        using var done = await console.PostFormAsync($"/history/{target}/rollback", new Dictionary<string, string> { ["head"] = HeadField().Match(fresh).Groups[1].Value });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(before + 1, await LatestVersionAsync());
    }

    [Fact]
    public async Task Two_models_with_the_same_name_on_different_providers_stay_apart_on_the_usage_page()
    {
        var recorder = server.App.Services.GetRequiredService<IUsageRecorder>();
        var name = Catalog.Unique("twin");
        foreach (var (provider, calls) in new[] { ("alpha-x", 3), ("beta-x", 5) })
        {
            var modelId = Guid.NewGuid();
            for (var i = 0; i < calls; i++)
            {
                recorder.Record(new UsageRecord
                {
                    RequestId = Guid.CreateVersion7(), At = DateTimeOffset.UtcNow.AddMinutes(-5), ProviderId = Guid.NewGuid(), ProviderName = provider,
                    ModelId = modelId, ModelName = name, Tokens = new TokenCounts(10, 5), Cost = 0.5m, LatencyMs = 100,
                });
            }
        }

        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        string html = "";
        for (var attempt = 0; attempt < 100 && !html.Contains($"{name} (beta-x)", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            html = WebUtility.HtmlDecode((await console.GetAsync("/usage?range=24h")).Html);
        }

        Assert.Matches(new Regex($@"<th scope=""row"">{name} \(alpha-x\)</th><td class=""num"">3</td>"), html);
        Assert.Matches(new Regex($@"<th scope=""row"">{name} \(beta-x\)</th><td class=""num"">5</td>"), html);
    }

    [Fact]
    public async Task The_key_field_can_clear_a_stored_key_and_an_empty_field_keeps_it()
    {
        var provider = await server.Admin.CreateProviderAsync("openai", apiKey: "sk-console-clear-000000000000000000");
        var id = provider.Str("id");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var form = new Dictionary<string, string> { ["name"] = provider.Str("name"), ["type"] = "openai", ["is_active"] = "true", ["api_key"] = "" };

        Assert.Equal(HttpStatusCode.Redirect, (await console.PostFormAsync($"/providers/{id}", form)).StatusCode);
        Assert.True((await (await server.Admin.GetAsync($"/api/v1/llm-providers/{id}")).JsonAsync()).GetProperty("has_api_key").GetBoolean());

        form["clear_api_key"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await console.PostFormAsync($"/providers/{id}", form)).StatusCode);
        Assert.False((await (await server.Admin.GetAsync($"/api/v1/llm-providers/{id}")).JsonAsync()).GetProperty("has_api_key").GetBoolean());
    }

    [Fact]
    public async Task Unticking_Active_on_a_provider_serving_a_default_is_refused_in_the_console_s_words_until_saved_anyway()
    {
        var (provider, model) = await ModelServingAnAgentTypeAsync("edit");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var (_, page) = await console.GetAsync($"/providers/{provider.Str("id")}");
        var form = new Dictionary<string, string>
        {
            ["name"] = provider.Str("name"), ["type"] = "ollama", ["is_active"] = "false", ["revision"] = RevisionField().Match(page).Groups[1].Value,
        };

        using var refused = await console.PostFormAsync($"/providers/{provider.Str("id")}", form);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("use the button below to deactivate it and clear those defaults", html, StringComparison.Ordinal);
        Assert.DoesNotContain("?force=true", html, StringComparison.Ordinal);
        Assert.Contains("Save anyway and clear those defaults", html, StringComparison.Ordinal);
        Assert.True((await (await server.Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).JsonAsync()).GetProperty("is_active").GetBoolean());

        form["force"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await console.PostFormAsync($"/providers/{provider.Str("id")}", form)).StatusCode);
        Assert.False((await (await server.Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).JsonAsync()).GetProperty("is_active").GetBoolean());
        Assert.Empty((await (await server.Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).JsonAsync()).GetProperty("default_for_agent_types").EnumerateArray());
    }

    [Fact]
    public async Task A_form_saved_over_someone_else_s_change_is_refused_and_shows_the_current_values()
    {
        var provider = await server.Admin.CreateProviderAsync("ollama");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var (_, page) = await console.GetAsync($"/providers/{provider.Str("id")}");
        var opened = RevisionField().Match(page).Groups[1].Value;
        await (await server.Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { requests_per_minute = 77 })).ExpectAsync(HttpStatusCode.OK);

        using var refused = await console.PostFormAsync($"/providers/{provider.Str("id")}", new Dictionary<string, string>
        {
            ["name"] = provider.Str("name"), ["type"] = "ollama", ["is_active"] = "true", ["requests_per_minute"] = "5", ["revision"] = opened,
        });
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Someone else changed it after you opened this page", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ETag", html, StringComparison.Ordinal);
        Assert.Contains("value=\"77\"", html, StringComparison.Ordinal);
        Assert.NotEqual(opened, RevisionField().Match(html).Groups[1].Value);
        Assert.Equal(77, (await (await server.Admin.GetAsync($"/api/v1/llm-providers/{provider.Str("id")}")).JsonAsync()).GetProperty("requests_per_minute").GetInt32());
    }

    [Fact]
    public async Task Deactivating_a_default_model_is_refused_readably_until_forced_and_forcing_clears_the_default()
    {
        var (provider, model) = await ModelServingAnAgentTypeAsync("deact");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();

        using var refused = await console.PostFormAsync("/models", new Dictionary<string, string> { ["active"] = "false" }, action: $"/models?handler=Activation&id={model.Str("id")}");
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Deactivate anyway and clear its defaults", html, StringComparison.Ordinal);
        Assert.True((await (await server.Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).JsonAsync()).GetProperty("is_active").GetBoolean());

        using var forced = await console.PostFormAsync("/models", new Dictionary<string, string> { ["active"] = "false", ["force"] = "true" }, action: $"/models?handler=Activation&id={model.Str("id")}");
        Assert.Equal(HttpStatusCode.Redirect, forced.StatusCode);
        var after = await (await server.Admin.GetAsync($"/api/v1/llm-models/{model.Str("id")}")).JsonAsync();
        Assert.False(after.GetProperty("is_active").GetBoolean());
        Assert.Empty(after.GetProperty("default_for_agent_types").EnumerateArray());
    }

    [Fact]
    public async Task The_defaults_page_shows_the_stores_refusal_when_a_chosen_model_cannot_serve()
    {
        var provider = await server.Admin.CreateProviderAsync("ollama");
        var embedding = await server.Admin.CreateModelAsync(provider.Str("id"), type: "embedding");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        using var response = await console.PostFormAsync("/defaults", new Dictionary<string, string> { ["purpose"] = "chat", ["model_id"] = embedding.Str("id") }, action: "/defaults?handler=Set");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("is an embedding model and cannot be the default for 'chat'", html, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await (await server.Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync()).GetProperty("chat").ValueKind);
    }

    [Fact]
    public async Task The_audit_log_pages_fifty_entries_at_a_time()
    {
        for (var i = 0; i < 55; i++)
        {
            await server.Admin.CreateProviderAsync("ollama");
        }

        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var (_, first) = await console.GetAsync("/audit?entity_type=provider");
        Assert.Equal(50, AuditRows().Matches(first).Count);
        var next = NextLink().Match(first);
        Assert.True(next.Success, "the first page links to the next one");
        var (_, second) = await console.GetAsync(WebUtility.HtmlDecode(next.Groups[1].Value));
        Assert.Contains("entity_type=provider", WebUtility.HtmlDecode(next.Groups[1].Value), StringComparison.Ordinal);
        Assert.InRange(AuditRows().Matches(second).Count, 5, 50);
        Assert.Contains("rel=\"prev\"", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mistral", "Mistral AI")]
    [InlineData("groq", "Groq")]
    [InlineData("deepseek", "DeepSeek")]
    [InlineData("gemini", "Google Gemini (OpenAI-compatible)")]
    [InlineData("bedrock", "Amazon Bedrock (OpenAI-compatible)")]
    [InlineData("vllm", "vLLM")]
    public async Task The_provider_form_offers_each_preset_kind_under_its_label(string type, string label)
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();

        var (_, page) = await console.GetAsync("/providers/new");

        Assert.Matches($"<option value=\"{type}\"[^>]*>{Regex.Escape(label)}</option>", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task The_provider_form_shows_the_address_and_key_hints_of_the_providers_kind()
    {
        var bedrock = await server.Admin.CreateProviderAsync(
            "bedrock", apiKey: "bedrock-api-key-000000000000000000BDRK", baseUrl: "https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();

        var (_, fresh) = await console.GetAsync("/providers/new");
        var (_, edit) = await console.GetAsync($"/providers/{bedrock.Str("id")}");

        Assert.Contains("placeholder=\"https://api.openai.com/v1\"", fresh, StringComparison.Ordinal);
        var html = WebUtility.HtmlDecode(edit);
        Assert.Contains("placeholder=\"https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"base_url-hint\" class=\"muted\">Required: the Bedrock runtime endpoint of your region", html, StringComparison.Ordinal);
        Assert.Contains("id=\"api_key-hint\" class=\"muted\">An Amazon Bedrock API key", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_s_limits_saved_through_the_form_show_on_the_keys_list_and_in_the_catalog()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var name = Catalog.Unique("form-key");

        using var added = await console.PostFormAsync("/keys/new", new Dictionary<string, string>
        {
            ["name"] = name, ["allowed_purposes"] = "chat, agents/*", ["budget_usd"] = "25", ["budget_period"] = "daily",
            ["requests_per_minute"] = "120", ["tokens_per_minute"] = "50000", ["concurrent_requests"] = "3", ["shadow_limits"] = "budget",
        });
        var page = WebUtility.HtmlDecode(await added.Content.ReadAsStringAsync());
        var secret = Regex.Match(page, "id=\"new-key-secret\" type=\"text\" class=\"mono\" readonly value=\"(mg-[^\"]+)\"").Groups[1].Value;
        var key = Snapshot.VirtualKeys[Core.Catalog.VirtualKey.Hash(secret)];
        var row = KeyRow(await ListedKeysAsync(console), key.Id);

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(new Core.Catalog.RateLimits(120, 50_000) { ConcurrentRequests = 3, Shadow = Core.Catalog.LimitKinds.Budget }, key.Limits);
        Assert.Equal(["chat", "agents/*"], key.AllowedPurposes);
        Assert.Contains("<td data-label=\"Budget\">$25.00 daily (shadow)</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Limits\">120 req/min, 50,000 tokens/min, 3 at once</td>", row, StringComparison.Ordinal);

        var (_, form) = await console.GetAsync($"/keys/{key.Id}");
        using var saved = await console.PostFormAsync($"/keys/{key.Id}",
        [
            new("name", name), new("allowed_purposes", "chat, agents/*"), new("budget_usd", "25"), new("budget_period", "daily"),
            new("requests_per_minute", "60"), new("tokens_per_minute", "50000"), new("concurrent_requests", "3"),
            new("shadow_limits", "requests_per_minute"), new("shadow_limits", "concurrent_requests"), new("revision", RevisionField().Match(form).Groups[1].Value),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        row = KeyRow(await ListedKeysAsync(console), key.Id);
        Assert.Contains("<td data-label=\"Budget\">$25.00 daily</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Limits\">60 req/min (shadow), 50,000 tokens/min, 3 at once (shadow)</td>", row, StringComparison.Ordinal);
        Assert.Contains("value=\"concurrent_requests\" checked=\"checked\"", (await console.GetAsync($"/keys/{key.Id}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_form_with_a_limit_that_is_not_a_number_is_refused_next_to_the_field_and_adds_nothing()
    {
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var keys = Snapshot.VirtualKeys.Count;

        using var refused = await console.PostFormAsync("/keys/new", new Dictionary<string, string> { ["name"] = Catalog.Unique("bad"), ["concurrent_requests"] = "many" });
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("<p id=\"concurrent_requests-error\" class=\"field-error\">'many' is not a whole number", html, StringComparison.Ordinal);
        Assert.DoesNotContain("new-key-secret", html, StringComparison.Ordinal);
        Assert.Equal(keys, Snapshot.VirtualKeys.Count);
    }

    [Fact]
    public async Task A_model_s_limits_saved_through_the_form_show_on_the_models_list_and_in_the_version_s_changes()
    {
        var provider = await server.Admin.CreateProviderAsync("ollama");
        var model = await server.Admin.CreateModelAsync(provider.Str("id"));
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var (_, form) = await console.GetAsync($"/models/{model.Str("id")}");

        using var saved = await console.PostFormAsync($"/models/{model.Str("id")}", new Dictionary<string, string>
        {
            ["provider_id"] = provider.Str("id"), ["model_id"] = model.Str("model_id"), ["type"] = "chat", ["is_active"] = "true",
            ["requests_per_minute"] = "30", ["tokens_per_minute"] = "9000", ["shadow_limits"] = "tokens_per_minute",
            ["revision"] = RevisionField().Match(form).Groups[1].Value,
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, list) = await console.GetAsync($"/models?provider_id={provider.Str("id")}");
        Assert.Contains("<td data-label=\"Limits\">30 req/min, 9,000 tokens/min (shadow)</td>", WebUtility.HtmlDecode(list), StringComparison.Ordinal);
        var (_, version) = await console.GetAsync($"/history/{Snapshot.Version}");
        Assert.Matches("<td class=\"mono\">shadow_limits</td>\\s*<td class=\"diff-before mono\">none</td>\\s*<td class=\"diff-after mono\">tokens_per_minute</td>", version);
    }

    [Fact]
    public async Task The_provider_form_puts_a_limit_in_shadow_mode_and_unticking_it_takes_it_out()
    {
        var provider = await server.Admin.CreateProviderAsync("ollama");
        var url = $"/api/v1/llm-providers/{provider.Str("id")}";
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["name"] = provider.Str("name"), ["type"] = "ollama", ["is_active"] = "true", ["requests_per_minute"] = "10", ["shadow_limits"] = "requests_per_minute",
        };

        Assert.Equal(HttpStatusCode.Redirect, (await console.PostFormAsync($"/providers/{provider.Str("id")}", form)).StatusCode);
        Assert.Equal(["requests_per_minute"], (await (await server.Admin.GetAsync(url)).JsonAsync()).GetProperty("shadow_limits").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains("value=\"requests_per_minute\" checked=\"checked\"", (await console.GetAsync($"/providers/{provider.Str("id")}")).Html, StringComparison.Ordinal);

        form.Remove("shadow_limits");
        Assert.Equal(HttpStatusCode.Redirect, (await console.PostFormAsync($"/providers/{provider.Str("id")}", form)).StatusCode);
        Assert.Empty((await (await server.Admin.GetAsync(url)).JsonAsync()).GetProperty("shadow_limits").EnumerateArray());
    }

    private Core.Catalog.CatalogSnapshot Snapshot => server.App.Services.GetRequiredService<Core.Resolution.CurrentCatalog>().State.Snapshot;

    private static async Task<string> ListedKeysAsync(ConsoleClient console) => WebUtility.HtmlDecode((await console.GetAsync("/keys")).Html);

    // One key's row of the keys list.
    private static string KeyRow(string list, Guid id) => Regex.Match(list, $"<tr data-key=\"{id}\">.*?</tr>", RegexOptions.Singleline).Value;

    // An Ollama provider with one model, the default of a new agent type.
    private async Task<(System.Text.Json.JsonElement Provider, System.Text.Json.JsonElement Model)> ModelServingAnAgentTypeAsync(string prefix)
    {
        var provider = await server.Admin.CreateProviderAsync("ollama");
        var model = await server.Admin.CreateModelAsync(provider.Str("id"));
        await (await server.Admin.PutJsonAsync($"/api/v1/llm-defaults/agents/{Catalog.Unique(prefix)}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        return (provider, model);
    }

    private async Task<long> LatestVersionAsync() =>
        (await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();

    [GeneratedRegex("name=\"head\" value=\"(\\d+)\"")]
    private static partial Regex HeadField();

    [GeneratedRegex("<td data-label=\"Action\" class=\"mono\">provider\\.[a-z]+</td>")]
    private static partial Regex AuditRows();

    [GeneratedRegex("name=\"revision\" value=\"(\\d+)\"")]
    private static partial Regex RevisionField();

    [GeneratedRegex("href=\"([^\"]+)\" rel=\"next\"")]
    private static partial Regex NextLink();
}
