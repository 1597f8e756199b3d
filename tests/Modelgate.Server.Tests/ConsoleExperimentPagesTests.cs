using System.Net;
using System.Text.Json;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>The aliases and experiments pages over HTTP: CSRF on every new form, and refusals shown where they belong.</summary>
public sealed class ConsoleExperimentPagesTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Alias_and_experiment_forms_posted_without_the_CSRF_token_are_refused_and_change_nothing()
    {
        var (purpose, experiment, _) = await ExperimentAsync();
        var id = experiment.Str("id");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var alias = Catalog.Unique("csrf");
        var forms = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/aliases/new", new() { ["name"] = alias, ["model_id"] = experiment.GetProperty("variants")[1].Str("model_id") }),
            ("/aliases?handler=Delete", new() { ["name"] = alias }),
            ("/experiments/new", new() { ["name"] = Catalog.Unique("csrf"), ["target"] = purpose, ["variant_name"] = "a", ["variant_weight"] = "1" }),
            ($"/experiments/{id}/edit", new() { ["name"] = "renamed" }),
            ($"/experiments/{id}/stop", new() { ["reason"] = "forged" }),
            ($"/experiments/{id}/promote", new() { ["variant"] = "b" }),
            ($"/experiments/{id}?handler=Delete", new()),
        };
        foreach (var (path, fields) in forms)
        {
            using var forged = await console.PostFormAsync(path, fields, withCsrf: false);
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{path} without the CSRF token answered {(int)forged.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/aliases/{alias}")).StatusCode);
        var after = await (await server.Admin.GetAsync($"/api/v1/experiments/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((experiment.Str("name"), "running", experiment.GetProperty("revision").GetInt32()), (after.Str("name"), after.Str("phase"), after.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task An_experiment_form_shows_a_number_it_cannot_read_and_the_store_s_refusals_on_the_rows_they_came_from()
    {
        var (purpose, _, treatmentId) = await ExperimentAsync(create: false);
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();
        var name = Catalog.Unique("rows");
        List<KeyValuePair<string, string>> Form(string thirdWeight) =>
        [
            new("name", name), new("target", purpose), new("stickiness", "session"), new("alpha", "0.05"),
            // Row 2 is blank and left out: the store's variants[1] is the form's third row.
            new("variant_name", "control"), new("variant_model", ""), new("variant_weight", "50"),
            new("variant_name", ""), new("variant_model", ""), new("variant_weight", ""),
            new("variant_name", "Control"), new("variant_model", treatmentId), new("variant_weight", thirdWeight),
        ];

        using var unreadable = await console.PostFormAsync("/experiments/new", Form("lots"));
        var html = WebUtility.HtmlDecode(await unreadable.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, unreadable.StatusCode);
        Assert.Contains("<p id=\"variant2-error\" class=\"field-error\">'lots' is not a whole number", html, StringComparison.Ordinal);

        using var duplicate = await console.PostFormAsync("/experiments/new", Form("50"));
        html = WebUtility.HtmlDecode(await duplicate.Content.ReadAsStringAsync());
        Assert.Contains("<p id=\"variant2-error\" class=\"field-error\">variant names must be unique", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"variant1-error\"", html, StringComparison.Ordinal);
        var all = await (await server.Admin.GetAsync("/api/v1/experiments")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(all.EnumerateArray(), e => e.Str("name") == name);
    }

    [Fact]
    public async Task A_running_experiment_cannot_be_deleted_from_its_page_and_a_taken_alias_name_is_refused_by_its_field()
    {
        var (_, experiment, treatmentId) = await ExperimentAsync();
        var id = experiment.Str("id");
        using var console = ConsoleClient.For(server.App);
        await console.SignInAsync();

        var (_, page) = await console.GetAsync($"/experiments/{id}");
        Assert.DoesNotContain("data-confirm=\"Delete experiment", page, StringComparison.Ordinal); // no button while it runs
        using var delete = await console.PostFormAsync($"/experiments/{id}", [new("revision", experiment.GetProperty("revision").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture))], action: $"/experiments/{id}?handler=Delete");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("stop it first", WebUtility.HtmlDecode(await delete.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await (await server.Admin.GetAsync($"/api/v1/experiments/{id}")).ExpectAsync(HttpStatusCode.OK);

        var alias = Catalog.Unique("taken");
        await (await server.Admin.PutJsonAsync($"/api/v1/aliases/{alias}", new { model_id = treatmentId })).ExpectAsync(HttpStatusCode.OK);
        using var taken = await console.PostFormAsync("/aliases/new", [new("name", alias), new("model_id", treatmentId), new("deprecated", "false")]);
        Assert.Contains($"<p id=\"name-error\" class=\"field-error\">an alias named '{alias}' exists already",
            WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    // A purpose of the test's own defaulting to one model, another model for a variant, and (unless told) a running experiment.
    private async Task<(string Purpose, JsonElement Experiment, string TreatmentId)> ExperimentAsync(bool create = true)
    {
        var provider = await server.Admin.CreateProviderAsync("ollama");
        var control = await server.Admin.CreateModelAsync(provider.Str("id"));
        var treatment = await server.Admin.CreateModelAsync(provider.Str("id"));
        var purpose = "agents/" + Catalog.Unique("pages");
        await (await server.Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = control.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        if (!create)
        {
            return (purpose, default, treatment.Str("id"));
        }

        var experiment = await (await server.Admin.PostJsonAsync("/api/v1/experiments", new
        {
            name = Catalog.Unique("pages"), target = purpose,
            variants = new object[] { new { name = "a", weight = 50 }, new { name = "b", model_id = treatment.Str("id"), weight = 50 } },
        })).ExpectAsync(HttpStatusCode.Created);
        return (purpose, experiment, treatment.Str("id"));
    }
}
