using System.Net;
using System.Net.Sockets;
using System.Text;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;
using Modelgate.Testing;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>
/// The gateway as a process: a stop lets streams run for the drain time, then ends them with an error event whose
/// record says why; a caller that stops reading is disconnected and the provider's stream closed.
/// </summary>
public sealed class GatewayShutdownAndSlowReaderTests
{
    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task StreamLongerThanTheDrainTime_EndsWithAShutdownEvent_AndItsRecordSaysWhy(string providerKind)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var upstream = await FakeUpstream.StartAsync();
        // Thirty events a second apart: far longer than the one-second drain.
        upstream.ChunkDelay = TimeSpan.FromSeconds(1);
        upstream.Reply = string.Join(' ', Enumerable.Range(0, 30).Select(i => "word" + i));
        await using var server = await ServerProcess.StartAsync(database.DataDirectory.Path, database.Options.ConnectionString, new Dictionary<string, string> { ["MODELGATE_SHUTDOWN_DRAIN_SECONDS"] = "1" });
        // OpenAI to OpenAI is relayed as it comes; OpenAI to Anthropic is translated.
        var (model, key) = await SetUpAsync(server, upstream, providerKind);
        using var caller = server.CreateClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent(new { model, stream = true, messages = new[] { new { role = "user", content = "a long answer please" } } }),
        };

        using var response = await caller.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var id = Guid.Parse(response.Headers.GetValues("x-modelgate-request-id").Single());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: {", await reader.ReadLineAsync(), StringComparison.Ordinal);
        server.Terminate();
        var rest = await reader.ReadToEndAsync();

        Assert.Contains("shutting down", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", rest, StringComparison.Ordinal);
        Assert.Equal(0, await server.ExitCodeAsync());
        Assert.Equal("shutdown", await database.ScalarAsync($"SELECT error_class FROM usage_records WHERE request_id = X'{Convert.ToHexString(id.ToByteArray())}'"));
    }

    [Fact]
    public async Task CallerThatStopsReading_IsDisconnected_AndTheProvidersStreamClosed()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var upstream = await FakeUpstream.StartAsync();
        // 64 MB in 1 KB events: far more than all the socket buffers on loopback between the provider, the gateway and
        // a caller that reads nothing (tens of MB when the kernel tunes them up), so the provider is still sending
        // when the gateway gives up. The answer limit is raised to let it through.
        upstream.Reply = string.Join(' ', Enumerable.Repeat(new string('x', 1000), 64_000));
        await using var server = await ServerProcess.StartAsync(database.DataDirectory.Path, database.Options.ConnectionString, new Dictionary<string, string>
        {
            ["MODELGATE_GATEWAY_CLIENT_WRITE_TIMEOUT_SECONDS"] = "8",
            ["MODELGATE_GATEWAY_MAX_RESPONSE_BYTES"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var (model, key) = await SetUpAsync(server, upstream);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var uri = new Uri(server.Url);
        await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
        var body = System.Text.Json.JsonSerializer.Serialize(new { model, stream = true, messages = new[] { new { role = "user", content = "hi" } } });
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n";
        await socket.SendAsync(Encoding.UTF8.GetBytes(head + body));

        // Nothing is read from the socket. The gateway gives up on the caller after its write timeout (8 s: longer than
        // the 5 s grace of Kestrel's own minimum data rate, which must not cut it first) and closes the provider's stream.
        for (var i = 0; i < 300 && upstream.AbortedStreams == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, upstream.AbortedStreams);
        object? errorClass = null;
        for (var i = 0; i < 100 && errorClass is null; i++)
        {
            await Task.Delay(100);
            errorClass = await database.ScalarAsync("SELECT error_class FROM usage_records");
        }

        Assert.Equal("client_slow", errorClass);
    }

    private static async Task<(string Model, string Key)> SetUpAsync(ServerProcess server, FakeUpstream upstream, string kind = "openai")
    {
        using var admin = server.CreateClient(ModelgateApp.AdminToken);
        var provider = await admin.CreateProviderAsync(kind, apiKey: "sk-upstream-drain-000000000000000", baseUrl: upstream.Url + (kind == "anthropic" ? "" : "/v1"));
        var model = (await admin.CreateModelAsync(provider.Str("id"), modelId: Catalog.Unique("gpt"))).Str("model_id");
        var key = (await (await admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("k") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        return (model, key);
    }

    private static StringContent JsonContent(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
