using System.Net;
using Modelgate.Cli.Tests.Support;

namespace Modelgate.Cli.Tests;

/// <summary>status, list and get against a real server.</summary>
[Collection(CliServerCollection.Name)]
public sealed class ReadCommandsTests(CliServer server)
{
    [Fact]
    public async Task Status_ShowsTheCurrentCatalogVersionAndThisInstance()
    {
        await server.Admin.CreateProviderAsync();
        var current = (await (await server.Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync())
            .GetProperty("data")[0].GetProperty("version").GetInt64();

        var table = await server.RunAsync("status");
        var json = await server.RunAsync("status", "--output", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains($"Catalog version", table.Out);
        Assert.Contains($"{current} (published", table.Out);
        Assert.Equal(current, json.Json().GetProperty("catalog_version").GetProperty("version").GetInt64());
        Assert.Contains(json.Json().GetProperty("instances").GetProperty("instances").EnumerateArray(), i => i.GetProperty("is_self").GetBoolean());
    }

    [Fact]
    public async Task ListProviders_AsTableAndAsJson_ShowTheProviderWithoutItsKey()
    {
        var provider = await server.Admin.CreateProviderAsync(apiKey: "sk-secret-list-0123456789abcdef");
        var name = provider.Str("name");

        var table = await server.RunAsync("list", "providers");
        var json = await server.RunAsync("list", "providers", "-o", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(name, table.Out);
        Assert.Contains("NAME", table.Out);
        Assert.Equal(0, json.ExitCode);
        var listed = Assert.Single(json.Json().EnumerateArray(), p => p.Str("name") == name);
        Assert.Equal(provider.Str("id"), listed.Str("id"));
        Assert.DoesNotContain("sk-secret-list-0123456789abcdef", table.Out + json.Out);
    }

    [Fact]
    public async Task ListPrices_ShowsEachModelsPricesPerMillion()
    {
        var provider = await server.Admin.CreateProviderAsync();
        var modelId = Catalog.Unique("priced");
        (await server.Admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = provider.Str("id"), model_id = modelId, input_price_per_million = 2.5m, output_price_per_million = 10m, cached_input_price_per_million = 1.25m,
        })).EnsureSuccessStatusCode();

        var table = await server.RunAsync("list", "prices");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("CACHED INPUT $/M", table.Out);
        var row = table.Out.Split('\n').Single(line => line.Contains(modelId, StringComparison.Ordinal));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(row, @"2\.5\s.*\s10(\.0)?\s.*\s1\.25"), row);
    }

    [Fact]
    public async Task GetProvider_ByNameOrId_PrintsThatProvider()
    {
        var provider = await server.Admin.CreateProviderAsync(type: "anthropic");

        var byName = await server.RunAsync("get", "provider", provider.Str("name"), "--output", "json");
        var byId = await server.RunAsync("get", "provider", provider.Str("id"));

        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Equal(provider.Str("id"), byName.Json().Str("id"));
        Assert.Equal("anthropic", byName.Json().Str("type"));
        Assert.Equal(0, byId.ExitCode);
        Assert.Contains(provider.Str("name"), byId.Out);
    }

    [Fact]
    public async Task GetProvider_Unknown_ExitsWithTwoAndSaysSo()
    {
        var result = await server.RunAsync("get", "provider", "no-such-provider");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-provider", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task ListModels_AsYaml_NamesTheModel()
    {
        var provider = await server.Admin.CreateProviderAsync();
        var model = await server.Admin.CreateModelAsync(provider.Str("id"));

        var result = await server.RunAsync("list", "models", "--output", "yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"model_id: {model.Str("model_id")}", result.Out);
    }

    [Fact]
    public async Task AServerRefusal_IsExitCodeTwoWithTheProblemOnStderr()
    {
        var result = await server.RunAsync("get", "model", "00000000-0000-0000-0000-000000000000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("404", result.Error);
        Assert.Equal(HttpStatusCode.NotFound,
            (await server.Admin.GetAsync("/api/v1/llm-models/00000000-0000-0000-0000-000000000000")).StatusCode);
    }
}
