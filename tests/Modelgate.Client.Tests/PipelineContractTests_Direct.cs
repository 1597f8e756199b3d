using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Modelgate.Testing;
using Modelgate.Testing.Server;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Client.Tests;

/// <summary>The contract in direct mode: an application with <c>AddModelgate()</c> reading the same catalog, naming the key.</summary>
public sealed class PipelineContractTests_Direct : PipelineContractTests, IDisposable
{
    private readonly TempDirectory _appData = new();

    protected override async Task<IChatClient> ChatAsync(IHostApplicationBuilder builder, string purpose, string keyName, string keySecret)
    {
        builder.Services.AddModelgate(o =>
        {
            o.Database = Database.Options.ConnectionString;
            o.DataDirectory = _appData.Path;
            o.MasterKey = MasterKey;
            o.FirstByteTimeout = FirstByteTimeout;
            o.RequestTimeout = RequestTimeout;
            o.StreamIdleTimeout = StreamIdleTimeout;
            o.VirtualKey = keyName;
        });
        return (await RunAsync(builder)).GetRequiredService<IModelgateClients>().ChatClient(purpose);
    }

    protected override IEnumerable<FakeLogRecord> Logged() => AppLogs();

    [Fact]
    public async Task AKeyNameReusedAfterARotation_MeansTheUsableKey()
    {
        await ChainAsync();
        var old = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = "rotated-app" })).ExpectAsync(HttpStatusCode.Created);
        await (await Admin.PostAsync($"/api/v1/keys/{old.GetProperty("virtual_key").Str("id")}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        // StartAsync makes the new key of the same name.
        var chat = await StartAsync(keyName: "rotated-app");

        Assert.Equal(FakeUpstream.ReplyText("primary-model"), (await chat.GetResponseAsync("hello")).Text);
    }

    public void Dispose() => _appData.Dispose();
}
