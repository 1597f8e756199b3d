using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;

namespace Modelgate.Client.Tests;

/// <summary>The contract through the gateway: an application with <c>AddModelgateGateway()</c> and the key's secret.</summary>
public sealed class PipelineContractTests_Gateway : PipelineContractTests
{
    protected override async Task<IChatClient> ChatAsync(IHostApplicationBuilder builder, string purpose, string keyName, string keySecret)
    {
        builder.Configuration["MODELGATE_URL"] = Server.ClientOptions.BaseAddress.ToString();
        builder.Configuration["MODELGATE_API_KEY"] = keySecret;
        builder.Services.AddModelgateGateway();
        return (await RunAsync(builder)).GetRequiredService<IModelgateClients>().ChatClient(purpose);
    }

    protected override IEnumerable<FakeLogRecord> Logged() => Server.Logs.GetSnapshot();
}
