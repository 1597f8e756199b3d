using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modelgate.Storage;
using Modelgate.Core.Resolution;
using Modelgate.Testing;
using Modelgate.Testing.Server;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Client.Tests;

/// <summary>
/// An application in direct mode and the gateway, both pointed at the same Redis, share every limit: what one entrance
/// takes, the other cannot.
/// </summary>
public sealed class SharedLimitsTests : IAsyncLifetime
{
    private readonly string _masterKey = Core.Secrets.MasterKey.Generate().ToBase64();
    private readonly TempDirectory _appData = new();
    private TestDatabase _database = null!;
    private FakeUpstream _upstream = null!;
    private ModelgateApp _server = null!;
    private IHost? _app;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        _upstream = await FakeUpstream.StartAsync();
        _server = new ModelgateApp(_database.Options, _database.DataDirectory.Path, new Dictionary<string, string?>
        {
            ["MODELGATE_MASTER_KEY"] = _masterKey,
            ["MODELGATE_REDIS"] = TestRedis.Configuration,
        });
        _server.UseKestrel(0);
        _server.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            _app.Dispose();
        }

        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
        await _database.DisposeAsync();
        _appData.Dispose();
    }

    [Fact]
    public async Task DirectModeAndTheGateway_ShareAProvidersRequestsPerMinute_ThroughRedis()
    {
        using var admin = _server.CreateAdminClient();
        var provider = await (await admin.PostJsonAsync("/api/v1/llm-providers", new
        {
            name = Catalog.Unique("shared"), type = "openai", api_key = "sk-proj-shared-00000000000000000000000000", base_url = _upstream.Url + "/v1", requests_per_minute = 4,
        })).ExpectAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = "shared-model", type = "chat" })).ExpectAsync(HttpStatusCode.Created);
        await (await admin.PutJsonAsync("/api/v1/llm-defaults/chat", new { model_id = "shared-model" })).ExpectAsync(HttpStatusCode.OK);
        var secret = (await (await admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("shared") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        using var gateway = _server.CreateClient();
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var direct = await DirectChatAsync();
        var chat = new { model = "chat", messages = new[] { new { role = "user", content = "hi" } } };

        await (await gateway.PostJsonAsync("/v1/chat/completions", chat)).ExpectAsync(HttpStatusCode.OK);
        await direct.GetResponseAsync("one");
        await (await gateway.PostJsonAsync("/v1/chat/completions", chat)).ExpectAsync(HttpStatusCode.OK);
        await direct.GetResponseAsync("two");

        // Four taken between them: neither entrance gets a fifth.
        var refusedDirect = await Assert.ThrowsAsync<ModelgateProviderException>(() => direct.GetResponseAsync("three"));
        var refusedGateway = await gateway.PostJsonAsync("/v1/chat/completions", chat);

        Assert.Equal(429, refusedDirect.StatusCode);
        Assert.Contains("is at its limit of 4 requests per minute", refusedDirect.Message, StringComparison.Ordinal);
        await refusedGateway.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(4, _upstream.Requests.Count);
    }

    private async Task<IChatClient> DirectChatAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Configuration["ANTHROPIC_API_KEY"] = "";
        builder.Configuration["OPENAI_API_KEY"] = "";
        builder.Services.AddModelgate(o =>
        {
            o.Database = _database.Options.ConnectionString;
            o.DataDirectory = _appData.Path;
            o.MasterKey = _masterKey;
            o.Redis = TestRedis.Configuration;
        });
        _app = builder.Build();
        await _app.StartAsync();
        return _app.Services.GetRequiredService<IModelgateClients>().ChatClient("chat");
    }
}
