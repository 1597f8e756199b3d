using System.Net;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class ModelsAndDefaultsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    [Fact]
    public async Task PutIsDefaultForAgents_TakesTheFlagFromThePreviousHolder()
    {
        var provider = await Admin.CreateProviderAsync();
        var first = await Admin.CreateModelAsync(provider.Str("id"));
        var second = await Admin.CreateModelAsync(provider.Str("id"));

        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{first.Str("id")}", new { is_default_for_agents = true })).ExpectAsync(HttpStatusCode.OK);
        var moved = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{second.Str("id")}", new { is_default_for_agents = true })).ExpectAsync(HttpStatusCode.OK);

        Assert.True(moved.GetProperty("is_default_for_agents").GetBoolean());
        var previous = await (await Admin.GetAsync($"/api/v1/llm-models/{first.Str("id")}")).JsonAsync();
        Assert.False(previous.GetProperty("is_default_for_agents").GetBoolean());
        var defaults = await (await Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.Equal(second.Str("id"), defaults.GetProperty("agents").Str("id"));
    }

    [Fact]
    public async Task EmbeddingModel_AsChatDefault_Is400NamingTheFieldAndReason()
    {
        var provider = await Admin.CreateProviderAsync();
        var embedding = await Admin.CreateModelAsync(provider.Str("id"), type: "embedding");

        var viaModel = await (await Admin.PutJsonAsync($"/api/v1/llm-models/{embedding.Str("id")}", new { is_default_for_chat = true })).ExpectAsync(HttpStatusCode.BadRequest);
        var viaDefaults = await (await Admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = embedding.Str("id") })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("is an embedding model", viaModel.GetProperty("errors").GetProperty("is_default_for_chat")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("needs a chat model", viaDefaults.GetProperty("errors").GetProperty("model_id")[0].GetString(), StringComparison.Ordinal);
        Assert.False((await (await Admin.GetAsync($"/api/v1/llm-models/{embedding.Str("id")}")).JsonAsync()).GetProperty("is_default_for_chat").GetBoolean());
    }

    [Fact]
    public async Task InactiveModel_AsDefault_Is409()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{model.Str("id")}", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);

        var refused = await (await Admin.PutJsonAsync("/api/v1/llm-defaults/agents/inactive-check", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains("inactive", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelOfInactiveProvider_AsDefault_Is409NamingTheProvider()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        await (await Admin.PutJsonAsync($"/api/v1/llm-providers/{provider.Str("id")}", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);

        var refused = await (await Admin.PutJsonAsync("/api/v1/llm-defaults/agents/provider-check", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains($"inactive provider '{provider.Str("name")}'", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivating_ADefaultModel_Is409NamingPurposes_ForceClearsThem()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var agentType = Catalog.Unique("writer");
        var url = $"/api/v1/llm-models/{model.Str("id")}";
        await (await Admin.PutJsonAsync(url, new { default_for_agent_types = new[] { agentType } })).ExpectAsync(HttpStatusCode.OK);

        var refused = await (await Admin.PutJsonAsync(url, new { is_active = false })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"agents/{agentType}", refused.Str("detail"), StringComparison.Ordinal);
        Assert.True((await (await Admin.GetAsync(url)).JsonAsync()).GetProperty("is_active").GetBoolean());

        var forced = await (await Admin.PutJsonAsync(url + "?force=true", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        Assert.False(forced.GetProperty("is_active").GetBoolean());
        Assert.Empty(forced.GetProperty("default_for_agent_types").EnumerateArray());
    }

    [Fact]
    public async Task Delete_DefaultModel_Is409_ForceDeletesAndClears()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));
        var agentType = Catalog.Unique("del");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/agents/{agentType}", new { model_id = model.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var url = $"/api/v1/llm-models/{model.Str("id")}";

        await (await Admin.DeleteAsync(url)).ExpectAsync(HttpStatusCode.Conflict);
        await (await Admin.DeleteAsync(url + "?force=true")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync(url)).StatusCode);
        var defaults = await (await Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.False(defaults.GetProperty("agent_types").TryGetProperty(agentType, out _));
    }

    [Fact]
    public async Task ModelId_InRoute_AcceptsTheUpstreamNameWhenUnambiguous_And409WhenShared()
    {
        var upstream = Catalog.Unique("claude-sonnet");
        var a = await Admin.CreateProviderAsync("anthropic");
        var model = await Admin.CreateModelAsync(a.Str("id"), modelId: upstream);

        var byName = await (await Admin.GetAsync($"/api/v1/llm-models/{upstream}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(model.Str("id"), byName.Str("id"));

        var b = await Admin.CreateProviderAsync("openai-compatible", baseUrl: "http://127.0.0.1:9/v1");
        await Admin.CreateModelAsync(b.Str("id"), modelId: upstream);
        var ambiguous = await (await Admin.GetAsync($"/api/v1/llm-models/{upstream}")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("use the model's id", ambiguous.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FiltersByTypeProviderAndActive_AndRejectsBadFilters()
    {
        var provider = await Admin.CreateProviderAsync();
        var chat = await Admin.CreateModelAsync(provider.Str("id"));
        var embedding = await Admin.CreateModelAsync(provider.Str("id"), type: "embedding");
        await (await Admin.PutJsonAsync($"/api/v1/llm-models/{embedding.Str("id")}", new { is_active = false })).ExpectAsync(HttpStatusCode.OK);
        var id = provider.Str("id");

        var embeddings = await (await Admin.GetAsync($"/api/v1/llm-models?provider_id={id}&type=embedding")).ExpectAsync(HttpStatusCode.OK);
        var active = await (await Admin.GetAsync($"/api/v1/llm-models?provider_id={id}&is_active=true")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([embedding.Str("id")], embeddings.GetProperty("data").EnumerateArray().Select(m => m.Str("id")));
        Assert.Equal([chat.Str("id")], active.GetProperty("data").EnumerateArray().Select(m => m.Str("id")));
        await (await Admin.GetAsync("/api/v1/llm-models?type=completion")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync("/api/v1/llm-models?provider_id=nope")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync("/api/v1/llm-models?is_active=maybe")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Defaults_ShowEachPurposeAndAgentTypes_AndClearing()
    {
        var provider = await Admin.CreateProviderAsync();
        var chat = await Admin.CreateModelAsync(provider.Str("id"));
        var embedding = await Admin.CreateModelAsync(provider.Str("id"), type: "embedding");
        var agentType = Catalog.Unique("researcher");

        await (await Admin.PutJsonAsync("/api/v1/llm-defaults/embeddings", new { model_id = embedding.Str("model_id") })).ExpectAsync(HttpStatusCode.OK);
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/agents/{agentType}", new { model_id = chat.Str("id") })).ExpectAsync(HttpStatusCode.OK);
        var defaults = await (await Admin.GetAsync("/api/v1/llm-defaults")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(embedding.Str("id"), defaults.GetProperty("embeddings").Str("id"));
        Assert.Equal(chat.Str("id"), defaults.GetProperty("agent_types").GetProperty(agentType).Str("id"));
        Assert.Equal([agentType], (await (await Admin.GetAsync($"/api/v1/llm-models/{chat.Str("id")}")).JsonAsync()).GetProperty("default_for_agent_types").EnumerateArray().Select(e => e.GetString()));

        await (await Admin.DeleteAsync($"/api/v1/llm-defaults/agents/{agentType}")).ExpectAsync(HttpStatusCode.NoContent);
        var after = await (await Admin.GetAsync("/api/v1/llm-defaults")).JsonAsync();
        Assert.False(after.GetProperty("agent_types").TryGetProperty(agentType, out _));
    }

    [Theory]
    [InlineData("/api/v1/llm-defaults/completion")]
    [InlineData("/api/v1/llm-defaults/agents/Bad%20Name")]
    public async Task Defaults_UnknownPurpose_Is400ExplainingValidPurposes(string url)
    {
        var body = await (await Admin.PutJsonAsync(url, new { model_id = "x" })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("agents", body.GetProperty("errors").GetProperty("purpose")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_UnknownModel_Is404()
    {
        var body = await (await Admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = "no-such-model-anywhere" })).ExpectAsync(HttpStatusCode.NotFound);

        Assert.Contains("no-such-model-anywhere", body.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateUpstreamNameOnOneProvider_Is409()
    {
        var provider = await Admin.CreateProviderAsync();
        var model = await Admin.CreateModelAsync(provider.Str("id"));

        var body = await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = model.Str("model_id") })).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Contains("model_id", body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Create_WithParametersAndPrices_RoundTripsExactly()
    {
        var provider = await Admin.CreateProviderAsync("anthropic");
        var created = await (await Admin.PostJsonAsync("/api/v1/llm-models", new
        {
            provider_id = provider.Str("id"),
            model_id = Catalog.Unique("claude"),
            display_name = "Claude Sonnet 4",
            temperature = 0.7,
            top_p = 0.95,
            max_tokens = 8192,
            input_price_per_million = 3.000001m,
            output_price_per_million = 15m,
            cached_input_price_per_million = 0.3m,
            context_window = 200000,
        })).ExpectAsync(HttpStatusCode.Created);

        var read = await (await Admin.GetAsync($"/api/v1/llm-models/{created.Str("id")}")).JsonAsync();
        Assert.Equal(3.000001m, read.GetProperty("input_price_per_million").GetDecimal());
        Assert.Equal(0.3m, read.GetProperty("cached_input_price_per_million").GetDecimal());
        Assert.Equal(0.7, read.GetProperty("temperature").GetDouble());
        Assert.Equal(8192, read.GetProperty("max_tokens").GetInt32());
        Assert.Equal(provider.Str("name"), read.Str("provider_name"));
    }
}

public sealed class ModelsAndDefaultsTests_Sqlite(SqliteServer server) : ModelsAndDefaultsTests<SqliteServer>(server);

public sealed class ModelsAndDefaultsTests_Postgres(PostgresServer server) : ModelsAndDefaultsTests<PostgresServer>(server);
