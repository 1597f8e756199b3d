using System.Net;
using Modelgate.Cli.Tests.Support;
using Modelgate.Testing;

namespace Modelgate.Cli.Tests;

/// <summary>
/// Configuration as code, end to end: the real tool against real servers (each test its own, on an empty SQLite
/// database): export, apply, diff, drift, validate, ownership, and the server applying a file at start.
/// </summary>
public sealed class ConfigAsCodeTests
{
    private const string OpenAiKey = "sk-proj-config-as-code-0123456789abcdef";
    private const string AnthropicKey = "sk-ant-config-as-code-9876543210fedcba";

    private static readonly Dictionary<string, string?> Keys = new() { ["OPENAI_API_KEY"] = OpenAiKey, ["ANTHROPIC_API_KEY"] = AnthropicKey };

    private const string File1 = """
        version: 1
        providers:
          - name: openai
            type: openai
            api_key: env:OPENAI_API_KEY
            limits: {requests_per_minute: 500}
          - name: anthropic
            type: anthropic
            api_key: env:ANTHROPIC_API_KEY
        models:
          - model: openai/gpt-4o-mini
            display_name: GPT-4o mini
            parameters: {temperature: 0.7, max_tokens: 800}
            prices: {input_per_million: 0.15, output_per_million: 0.6}
          - model: anthropic/claude-haiku-4
          - model: openai/text-embedding-3-small
            type: embedding
            embedding_dimensions: 1536
        defaults:
          chat: openai/gpt-4o-mini
          agents/researcher: anthropic/claude-haiku-4
          embeddings: openai/text-embedding-3-small
        fallbacks:
          chat: [anthropic/claude-haiku-4]
        aliases:
          smart: {model: anthropic/claude-haiku-4, description: the careful one}
        experiments:
          - name: cheaper-chat
            target: chat
            variants:
              - {name: control, weight: 80}
              - {name: haiku, model: anthropic/claude-haiku-4, weight: 20}
            guardrails:
              - {metric: error_rate, max_increase: 0.02}
        """;

    [Fact]
    public async Task ExportThenApplyOnAnEmptyDatabase_ThenExportAgain_GivesTheSameFile()
    {
        await using var first = await CliServer.StartAsync();
        await using var second = await CliServer.StartAsync();
        var file = Write(first, "modelgate.yaml", File1);
        Assert.Equal(0, (await first.RunWithAsync(Keys, "apply", file)).ExitCode);
        // Something made through the API, not the file, is exported too.
        await first.Admin.CreateModelAsync(await ProviderId(first, "openai"), modelId: "gpt-4.1");

        var exported = await first.RunAsync("export");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Contains("model: openai/gpt-4.1", exported.Out);
        var copy = Write(second, "exported.yaml", exported.Out);
        var applied = await second.RunWithAsync(Keys, "apply", copy);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var again = await second.RunAsync("export");

        Assert.Equal(exported.Out, again.Out);
        Assert.Contains("name: cheaper-chat", again.Out);
        // The keys were set from the environment the references name, and work: both servers hold the same masks.
        var providers = await (await second.Admin.GetAsync("/api/v1/llm-providers")).JsonAsync();
        var openai = providers.GetProperty("data").EnumerateArray().Single(p => p.Str("name") == "openai");
        Assert.True(openai.GetProperty("has_api_key").GetBoolean());
        Assert.EndsWith(OpenAiKey[^4..], openai.Str("api_key_mask"));
    }

    [Fact]
    public async Task ApplyingTheSameFileTwice_PublishesNoSecondVersion()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1);

        var first = await server.RunWithAsync(Keys, "apply", file);
        var afterFirst = await LatestVersion(server);
        var second = await server.RunWithAsync(Keys, "apply", file);
        var diff = await server.RunWithAsync(Keys, "diff", file);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Applied modelgate.yaml", first.Error);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Nothing to apply", second.Error);
        Assert.Equal(afterFirst, await LatestVersion(server));
        Assert.True(diff.ExitCode == 0, diff.ToString());
        // One version for the whole file, with one audit entry naming its hash.
        var audit = await (await server.Admin.GetAsync("/api/v1/audit?entity_type=config_file")).JsonAsync();
        var entry = Assert.Single(audit.GetProperty("data").EnumerateArray());
        Assert.Equal(Sha256(File1), entry.Str("entity_id"));
        Assert.Equal(2, afterFirst); // version 1 is the empty catalog at start
    }

    [Fact]
    public async Task AChangeMadeAfterThePlan_MakesApplyRefuse_AndChangesNothing()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1);
        var plan = await server.RunWithAsync(Keys, "diff", file, "-o", "json");
        Assert.True(plan.ExitCode == 1, plan.ToString());
        var basedOn = plan.Json().GetProperty("based_on_version").GetInt64();

        // Someone changes the catalog between the review of the plan and the apply.
        await server.Admin.CreateProviderAsync();
        var applied = await server.RunWithAsync(Keys, "apply", file, "--based-on-version", basedOn.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(applied.ExitCode == 2, applied.ToString());
        Assert.Contains("changed since the plan", applied.Error);
        var models = await (await server.Admin.GetAsync("/api/v1/llm-models")).JsonAsync();
        Assert.Equal(0, models.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task WithoutPrune_NothingIsDeleted_WithPrune_WhatTheFileDoesNotNameIs()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1);
        Assert.Equal(0, (await server.RunWithAsync(Keys, "apply", file)).ExitCode);
        var stray = await server.Admin.CreateModelAsync(await ProviderId(server, "openai"), modelId: "stray-model");

        var kept = await server.RunWithAsync(Keys, "apply", file);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync($"/api/v1/llm-models/{stray.Str("id")}")).StatusCode);
        Assert.Contains("Nothing to apply", kept.Error);

        var diff = await server.RunWithAsync(Keys, "diff", file, "--prune");
        Assert.True(diff.ExitCode == 1, diff.ToString());
        Assert.Contains("delete", diff.Out);
        Assert.Contains("stray-model", diff.Out);

        var pruned = await server.RunWithAsync(Keys, "apply", file, "--prune");
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/llm-models/{stray.Str("id")}")).StatusCode);
        Assert.Equal(0, (await server.RunWithAsync(Keys, "diff", file, "--prune")).ExitCode);
    }

    [Fact]
    public async Task NoKeyValue_AppearsInAnExport_APlan_TheToolsOutput_OrTheServersLog()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1);
        var outputs = new List<CliResult> { await server.RunWithAsync(Keys, "apply", file) };
        var rotated = new Dictionary<string, string?>(Keys) { ["OPENAI_API_KEY"] = "sk-proj-rotated-key-ffffeeeeddddcccc" };

        outputs.Add(await server.RunWithAsync(rotated, "diff", file));
        outputs.Add(await server.RunWithAsync(rotated, "diff", file, "-o", "json"));
        outputs.Add(await server.RunWithAsync(rotated, "apply", file));
        outputs.Add(await server.RunAsync("export"));
        outputs.Add(await server.RunAsync("export", "-o", "json"));
        outputs.Add(await server.RunAsync("history"));

        // The rotation is seen, as "(changed)" only.
        Assert.Equal(1, outputs[1].ExitCode);
        Assert.Contains("(changed)", outputs[1].Out);
        Assert.Contains("api_key: env:OPENAI_API_KEY", outputs[4].Out);
        var everything = string.Join("\n", outputs.Select(o => o.ToString())) + server.App.AllOutput();
        // Not even the masks the API shows: a plan says "(changed)", an export a reference.
        var providers = await (await server.Admin.GetAsync("/api/v1/llm-providers")).JsonAsync();
        var masks = providers.GetProperty("data").EnumerateArray().Select(p => p.Str("api_key_mask")).ToList();
        Assert.Equal(2, masks.Count);
        Assert.All(masks, mask => Assert.DoesNotContain(mask, everything));
        foreach (var secret in new[] { OpenAiKey, AnthropicKey, "sk-proj-rotated-key-ffffeeeeddddcccc", "ffffeeeeddddcccc", OpenAiKey[^12..] })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }

    [Fact]
    public async Task ABadFile_GetsErrorsNamingFileLineAndField()
    {
        await using var server = await CliServer.StartAsync();
        var unknownField = Write(server, "typo.yaml", "version: 1\nproviders:\n  - name: openai\n    type: openai\n    api_keys: env:OPENAI_API_KEY\n");
        var badValue = Write(server, "bad.yaml", File1.Replace("temperature: 0.7", "temperature: 7", StringComparison.Ordinal));
        var unknownModel = Write(server, "ref.yaml", File1.Replace("chat: [anthropic/claude-haiku-4]", "chat: [anthropic/claude-nope]", StringComparison.Ordinal));

        var typo = await server.RunWithAsync(Keys, "validate", unknownField);
        var value = await server.RunWithAsync(Keys, "apply", badValue);
        var reference = await server.RunWithAsync(Keys, "diff", unknownModel);

        Assert.Equal(2, typo.ExitCode);
        Assert.Matches(@"typo\.yaml:5:\d+: providers\[0\]\.api_keys: unknown field 'api_keys'", typo.Error);
        Assert.Equal(2, value.ExitCode);
        Assert.Matches(@"bad\.yaml:13:\d+: models\[0\]\.parameters\.temperature: ", value.Error);
        Assert.Equal(2, reference.ExitCode);
        Assert.Matches(@"ref\.yaml:24:\d+: fallbacks\.chat\[0\]: no model 'anthropic/claude-nope'", reference.Error);
        Assert.Equal(1, await LatestVersion(server));
    }

    [Fact]
    public async Task AKeyWrittenInTheFile_IsRefused_WithoutEchoingIt()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "leak.yaml", File1.Replace("api_key: env:OPENAI_API_KEY", $"api_key: {OpenAiKey}", StringComparison.Ordinal));

        var validated = await server.RunWithAsync(Keys, "validate", file);
        var applied = await server.RunWithAsync(Keys, "apply", file);

        Assert.Equal(2, validated.ExitCode);
        Assert.Equal(2, applied.ExitCode);
        Assert.Contains("providers[0].api_key: api_key must be a reference", applied.Error);
        Assert.DoesNotContain(OpenAiKey, validated.ToString() + applied.ToString());
        Assert.Equal(1, await LatestVersion(server));
    }

    [Fact]
    public async Task AnObjectTheFileOwns_IsProtectedFromTheApi_AndAForcedChangeShowsAsDrift()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1);
        Assert.Equal(0, (await server.RunWithAsync(Keys, "apply", file)).ExitCode);
        Assert.Equal(0, (await server.RunAsync("drift", file)).ExitCode);
        var providerId = await ProviderId(server, "openai");

        var refused = await server.Admin.PutJsonAsync($"/api/v1/llm-providers/{providerId}", new { requests_per_minute = 10 });
        var problem = await refused.JsonAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("managed by a configuration file (first applied as modelgate.yaml", problem.Str("detail"));
        var aliasRefused = await server.Admin.DeleteAsync("/api/v1/aliases/smart");
        Assert.Equal(HttpStatusCode.Conflict, aliasRefused.StatusCode);

        var forced = await server.Admin.PutJsonAsync($"/api/v1/llm-providers/{providerId}?force_managed=true", new { requests_per_minute = 10 });
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var stray = await server.Admin.PutJsonAsync("/api/v1/aliases/fast", new { model_id = "gpt-4o-mini" });
        var drift = await server.RunAsync("drift", file);

        Assert.True(drift.ExitCode == 1, drift.ToString());
        Assert.Contains("changed outside the file", drift.Out);
        Assert.Contains("requests_per_minute: 10 -> 500", drift.Out);
        // Keys are not compared without their values: drift runs without the secrets.
        Assert.Contains("that key is not compared", drift.Error);
        Assert.DoesNotContain("api_key", drift.Out);
        Assert.True(stray.IsSuccessStatusCode, await stray.Content.ReadAsStringAsync());
        Assert.Contains("not in the file", drift.Out);
    }

    [Fact]
    public async Task TheServerAppliesMODELGATE_CONFIG_FILE_AtStart_AndTheSameFileAgainChangesNothing()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "modelgate.yaml");
        // The server reads references from its process's environment (not its settings): variables of this test's own.
        var (openai, anthropic) = ($"MG_TEST_OPENAI_{Guid.NewGuid():N}", $"MG_TEST_ANTHROPIC_{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable(openai, OpenAiKey);
        Environment.SetEnvironmentVariable(anthropic, AnthropicKey);
        using var unset = new Unset(openai, anthropic);
        var text = File1.Replace("env:OPENAI_API_KEY", $"env:{openai}", StringComparison.Ordinal).Replace("env:ANTHROPIC_API_KEY", $"env:{anthropic}", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);
        var keys = new Dictionary<string, string?> { [openai] = OpenAiKey, [anthropic] = AnthropicKey };
        await using var server = await CliServer.StartAsync(new Dictionary<string, string?> { ["MODELGATE_CONFIG_FILE"] = file });

        var defaults = await (await server.Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.Equal("gpt-4o-mini", defaults.GetProperty("chat").Str("model_id"));
        Assert.Equal(2, await LatestVersion(server));
        var audit = await (await server.Admin.GetAsync("/api/v1/audit?entity_type=config_file")).JsonAsync();
        Assert.Equal("config-file", audit.GetProperty("data")[0].Str("actor"));

        // The same content through the tool, under another name (as CI would apply it), finds nothing to do.
        var copy = Write(server, "from-ci.yaml", text);
        var again = await server.RunWithAsync(keys, "apply", copy);
        Assert.Contains("Nothing to apply", again.Error);
        Assert.Equal(2, await LatestVersion(server));
    }

    [Fact]
    public async Task WithoutTheSecrets_ValidateAndDiffStillWork_AndOnlyApplyNeedsThem()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1);
        var none = new Dictionary<string, string?>();

        var validated = await server.RunWithAsync(none, "validate", file);
        var diff = await server.RunWithAsync(none, "diff", file, "-o", "json");
        var applied = await server.RunWithAsync(none, "apply", file);

        Assert.True(validated.ExitCode == 0, validated.ToString());
        Assert.Contains("valid (checked against", validated.Out);
        Assert.True(diff.ExitCode == 1, diff.ToString());
        var openai = diff.Json().GetProperty("changes").EnumerateArray().Single(c => c.Str("entity") == "provider" && c.Str("name") == "openai");
        Assert.Equal("(changed)", openai.GetProperty("fields").GetProperty("api_key").Str("after"));
        Assert.Contains("that key is not compared", diff.Error);
        Assert.True(applied.ExitCode == 2, applied.ToString());
        Assert.Contains("the environment variable OPENAI_API_KEY is not set", applied.Error);
        Assert.Equal(1, await LatestVersion(server));
    }

    [Fact]
    public async Task AReferenceToModelgatesOwnSettings_IsRefused_SoAFileCannotSendTheAdminToken()
    {
        await using var server = await CliServer.StartAsync();
        var file = Write(server, "modelgate.yaml", File1.Replace("env:OPENAI_API_KEY", "env:MODELGATE_ADMIN_TOKEN", StringComparison.Ordinal));

        var applied = await server.RunWithAsync(Keys, "apply", file);

        Assert.Equal(2, applied.ExitCode);
        Assert.Contains("providers[0].api_key: env:MODELGATE_ADMIN_TOKEN names one of Modelgate's own settings", applied.Error);
        Assert.DoesNotContain(ModelgateApp.AdminToken, applied.ToString());
        Assert.Equal(1, await LatestVersion(server));
    }

    [Fact]
    public async Task ALiteLlmConfig_ImportsAndApplies()
    {
        await using var server = await CliServer.StartAsync();
        var litellm = Write(server, "litellm.yaml", """
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY, rpm: 100}
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-20250514
                  api_key: os.environ/ANTHROPIC_API_KEY
                  input_cost_per_token: 0.000003
                  output_cost_per_token: 0.000015
              - model_name: local
                litellm_params: {model: ollama/llama3, api_base: "http://127.0.0.1:11434"}
            router_settings:
              fallbacks: [{gpt-4o: [claude]}]
            general_settings:
              master_key: sk-1234
            """);
        var converted = Path.Combine(server.Folder, "modelgate.yaml");

        var imported = await server.RunAsync("import", "--from", "litellm", litellm, "--out", converted);
        var applied = await server.RunWithAsync(Keys, "apply", converted);

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("general_settings", imported.Error);
        Assert.DoesNotContain("sk-1234", imported.ToString() + File.ReadAllText(converted));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var resolved = await (await server.Admin.GetAsync("/api/v1/llm-resolve?model=claude")).JsonAsync();
        Assert.Contains("claude-sonnet-4-20250514", resolved.GetRawText());
        var fallbacks = await (await server.Admin.GetAsync("/api/v1/llm-fallbacks")).JsonAsync();
        Assert.Contains("claude-sonnet-4-20250514", fallbacks.GetRawText());
        var model = await (await server.Admin.GetAsync("/api/v1/llm-models/claude-sonnet-4-20250514")).JsonAsync();
        Assert.Equal(3m, model.GetProperty("input_price_per_million").GetDecimal());
        Assert.Equal(0, (await server.RunWithAsync(Keys, "diff", converted)).ExitCode);
    }

    private static string Write(CliServer server, string name, string text)
    {
        var path = Path.Combine(server.Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string> ProviderId(CliServer server, string name)
    {
        var providers = await (await server.Admin.GetAsync("/api/v1/llm-providers")).JsonAsync();
        return providers.GetProperty("data").EnumerateArray().Single(p => p.Str("name") == name).Str("id");
    }

    private static async Task<long> LatestVersion(CliServer server)
    {
        var versions = await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync();
        return versions.GetProperty("data")[0].GetProperty("version").GetInt64();
    }

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    // Takes the test's variables out of the process's environment again.
    private sealed class Unset(params string[] names) : IDisposable
    {
        public void Dispose()
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
