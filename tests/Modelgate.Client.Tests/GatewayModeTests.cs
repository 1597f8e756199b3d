using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Resolution;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Server;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Client.Tests;

/// <summary>
/// An application with <c>AddModelgateGateway()</c>: no database, no master key, no provider key — only the URL of a
/// real Modelgate server on a loopback port and a virtual key; the server resolves on every call.
/// </summary>
public sealed class GatewayModeTests : IAsyncLifetime
{
    private const string UpstreamKey = "sk-proj-remote-mode-0000000000000000RMTE";
    private TestDatabase _database = null!;
    private ModelgateApp _server = null!;
    private FakeUpstream _upstream = null!;
    private HttpClient _admin = null!;
    private string _providerId = "";
    private string _virtualKey = "";
    private readonly List<IHost> _apps = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _upstream = await FakeUpstream.StartAsync();
        _server = new ModelgateApp(_database.Options, _database.DataDirectory.Path);
        _server.UseKestrel(0);
        _server.StartServer();
        _admin = _server.CreateAdminClient();
        _providerId = (await _admin.CreateProviderAsync("openai", apiKey: UpstreamKey, baseUrl: _upstream.Url + "/v1")).Str("id");
        _virtualKey = (await (await _admin.PostJsonAsync("/api/v1/keys", new { name = "remote-app" })).ExpectAsync(HttpStatusCode.Created)).Str("key");
    }

    private async Task<IServiceProvider> StartAppAsync(string? key = null, Action<ModelgateGatewayOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["MODELGATE_URL"] = _server.ClientOptions.BaseAddress.ToString();
        builder.Configuration["MODELGATE_API_KEY"] = key ?? _virtualKey;
        builder.Services.AddModelgateGateway(configure);
        var app = builder.Build();
        _apps.Add(app);
        await app.StartAsync();
        return app.Services;
    }

    private async Task<string> ModelAsync(string modelId, string type = "chat") =>
        (await (await _admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = _providerId, model_id = modelId, type })).ExpectAsync(HttpStatusCode.Created)).Str("id");

    private async Task DefaultAsync(string purpose, string modelId) =>
        await (await _admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);

    // The app's "chat" client, with a model of that name as the chat default.
    private async Task<IChatClient> ChatWithDefaultAsync(string modelId, string? key = null)
    {
        await ModelAsync(modelId);
        await DefaultAsync("chat", modelId);
        return (await StartAppAsync(key)).GetRequiredKeyedService<IChatClient>("chat");
    }

    [Fact]
    public async Task InjectedClient_CallsThroughTheGateway_AndTheNextCallUsesAChangedDefault()
    {
        await ModelAsync("gpt-remote-a");
        await ModelAsync("gpt-remote-b");
        await DefaultAsync("agents", "gpt-remote-a");
        var agents = (await StartAppAsync()).GetRequiredKeyedService<IChatClient>("agents");

        var first = await agents.GetResponseAsync("plan my day");
        Assert.Equal(FakeUpstream.ReplyText("gpt-remote-a"), first.Text);
        Assert.Equal(UpstreamKey, _upstream.Last.ApiKey);

        await DefaultAsync("agents", "gpt-remote-b");
        var streamed = new List<string>();
        await foreach (var update in agents.GetStreamingResponseAsync("plan my day"))
        {
            streamed.Add(update.Text);
        }

        Assert.Equal(FakeUpstream.ReplyText("gpt-remote-b"), string.Concat(streamed));
        Assert.True(streamed.Count(s => s.Length > 0) > 1, "the answer should arrive in pieces");
        Assert.Equal("gpt-remote-b", _upstream.Last.Model);
    }

    [Fact]
    public async Task Embeddings_ComeThroughTheGateway()
    {
        await ModelAsync("embed-remote", type: "embedding");
        await DefaultAsync("embeddings", "embed-remote");
        var embeddings = (await StartAppAsync()).GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("embeddings");

        var vector = await embeddings.GenerateVectorAsync("hello world");

        Assert.Equal(FakeUpstream.VectorFor("hello world", 8), vector.ToArray());
        Assert.Equal("embed-remote", _upstream.Last.Model);
    }

    [Fact]
    public async Task PurposeWithoutADefault_IsAConfigurationException_WithTheGatewaysReason()
    {
        var clients = (await StartAppAsync()).GetRequiredService<IModelgateClients>();

        var error = await Assert.ThrowsAsync<ModelgateConfigurationException>(() => clients.ChatClient("agents/nobody").GetResponseAsync("hi"));

        Assert.Equal("agents/nobody", error.Purpose);
        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("agents/nobody", error.Message, StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task WrongKey_IsAConfigurationException_AndNothingIsSent()
    {
        var chat = await ChatWithDefaultAsync("gpt-remote-c", key: "mg-not-a-key");

        var error = await Assert.ThrowsAsync<ModelgateConfigurationException>(() => chat.GetResponseAsync("hi"));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task ProviderFailure_IsAProviderException_WithTheGatewaysStatus_AndWithoutTheProvidersKey()
    {
        var chat = await ChatWithDefaultAsync("gpt-remote-d");
        _upstream.FailNext(500, $$$"""{"error":{"message":"boom with {{{UpstreamKey}}}","type":"server_error","param":null,"code":null}}""", times: 3);

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(() => chat.GetResponseAsync("hi"));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("chat", error.Purpose);
        Assert.DoesNotContain(UpstreamKey, error.ToString(), StringComparison.Ordinal);
        // The gateway retried; the client did not add retries of its own.
        Assert.Equal(3, _upstream.Requests.Count);
    }

    [Fact]
    public async Task StreamCutByTheProvider_IsAProviderException_NotAShortAnswer()
    {
        var chat = await ChatWithDefaultAsync("gpt-remote-e");
        _upstream.Faults.Enqueue(UpstreamFault.DropMidStream);
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<ModelgateProviderException>(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("Hel", string.Concat(received));
        Assert.Contains("ended without finishing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutUrlOrKey_ResolvingAClientSaysWhatToSet()
    {
        var services = await StartAppAsync(key: "", configure: o => o.Url = null);

        var error = Assert.Throws<ModelgateConfigurationException>(() => services.GetRequiredKeyedService<IChatClient>("chat"));

        Assert.Contains("MODELGATE_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("MODELGATE_API_KEY", error.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            app.Dispose();
        }

        _admin.Dispose();
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
        await _database.DisposeAsync();
    }
}
