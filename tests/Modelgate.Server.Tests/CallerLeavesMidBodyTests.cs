using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;
using Modelgate.Testing;
using Xunit.Abstractions;

namespace Modelgate.Server.Tests;

/// <summary>
/// Callers that announce a body, send a few bytes of it and close the connection, on a real Kestrel socket: Kestrel
/// then fails the body read, often before it signals the abort, so each test sends enough of them to meet both orders.
/// </summary>
public sealed class CallerLeavesMidBodyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Callers = 20;
    private TestDatabase _database = null!;
    private ModelgateApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _app = new ModelgateApp(_database.Options, _database.DataDirectory.Path);
        _app.UseKestrel(0);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    // Headers announcing 100,000 bytes and the first few of them; a pause, so the server is waiting for the rest (which
    // meets the race far more often than closing at once); then the connection closed.
    private async Task SendPartOfABodyAndLeaveAsync(string path, string bearer)
    {
        var server = _app.ClientOptions.BaseAddress;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {bearer}\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"model\":\"chat\",\"messages\":[";
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        await Task.Delay(50);
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        for (var i = 0; !await done(); i++)
        {
            Assert.True(i < 200, $"gave up waiting until {what}");
            await Task.Delay(50);
        }
    }

    private List<string> Finished(string path) =>
        [.. _app.Logs.GetSnapshot()
            .Where(r => r.Message.StartsWith("Request finished", StringComparison.Ordinal) && r.Message.Contains(path, StringComparison.Ordinal))
            .Select(r => r.Message)];

    private void AssertNothingLoggedAsAFailure()
    {
        var records = _app.Logs.GetSnapshot();
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Warning);
        // Kestrel's own debug lines may carry its exception; nothing of Modelgate's does, and nothing an operator sees.
        Assert.DoesNotContain(records, r => r.Exception is not null
            && (r.Level >= LogLevel.Information || r.Category?.StartsWith("Modelgate", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task GatewayCall_CallerLeavesMidBody_IsRecordedClientClosed_WithoutAnErrorLog()
    {
        using var admin = _app.CreateAdminClient();
        var created = await (await admin.PostJsonAsync("/api/v1/keys", new { name = "leaves-mid-body" })).ExpectAsync(HttpStatusCode.Created);
        var key = created.Str("key");

        for (var i = 0; i < Callers; i++)
        {
            await SendPartOfABodyAndLeaveAsync("/v1/chat/completions", key);
        }

        List<string?> rows = [];
        await WaitForAsync(
            async () => (rows = await SqliteRows.ReadAsync(_database, "SELECT error_class || ' ' || status FROM usage_records")).Count == Callers,
            "every call is recorded");
        Assert.All(rows, row => Assert.StartsWith("client_closed ", row, StringComparison.Ordinal));
        AssertNothingLoggedAsAFailure();
        output.WriteLine(string.Join(", ", rows.GroupBy(r => r).Select(g => $"{g.Count()} × {g.Key}")));
    }

    [Fact]
    public async Task AdminApiWrite_CallerLeavesMidBody_LogsNoError_AndChangesNothing()
    {
        using var admin = _app.CreateAdminClient();

        for (var i = 0; i < Callers; i++)
        {
            await SendPartOfABodyAndLeaveAsync("/api/v1/llm-providers", ModelgateApp.AdminToken);
        }

        await WaitForAsync(() => Task.FromResult(Finished("/api/v1/llm-providers").Count == Callers), "every request is finished");
        AssertNothingLoggedAsAFailure();
        var statuses = Finished("/api/v1/llm-providers").Select(m => m.Split(" - ")[1]).GroupBy(s => s).Select(g => $"{g.Count()} × {g.Key}");
        output.WriteLine(string.Join(", ", statuses));
        var providers = await (await admin.GetAsync("/api/v1/llm-providers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, providers.GetProperty("total").GetInt32());
    }
}
