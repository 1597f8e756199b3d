// A long-running agent that holds one injected IChatClient for its whole life. Change the "agents" default
// in Modelgate (PUT /api/v1/llm-defaults/agents) while it runs: the next call uses the new model and key.
//
//   MODELGATE_DATA_DIR=/path/to/modelgate/data dotnet run --project samples/Modelgate.Sample          (direct mode)
//   MODELGATE_URL=http://127.0.0.1:5080 MODELGATE_API_KEY=mg-... dotnet run --project samples/Modelgate.Sample   (gateway mode)
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modelgate.Client;
using Modelgate.Core.Resolution;

var builder = Host.CreateApplicationBuilder(args);
// With MODELGATE_URL (and MODELGATE_API_KEY, a virtual key) the app calls the gateway; otherwise it reads the
// catalog database directly (MODELGATE_DATABASE / MODELGATE_DATA_DIR and the master key).
if (string.IsNullOrEmpty(builder.Configuration["MODELGATE_URL"]))
{
    builder.Services.AddModelgate();
}
else
{
    builder.Services.AddModelgateGateway();
}

builder.Services.AddHostedService<Agent>();
await builder.Build().RunAsync();

/// <summary>Asks the agents model a question every few seconds and says which model answered.</summary>
internal sealed class Agent([FromKeyedServices("agents")] IChatClient agents, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            try
            {
                // Direct mode knows what "agents" resolves to before calling; through the gateway, the server decides per call.
                if (agents.GetService(typeof(ResolvedModel)) is ResolvedModel resolved)
                {
                    Console.WriteLine($"agents -> {resolved.Provider.Name}/{resolved.Model.ModelId} ({resolved.Source.ToName()}): {resolved.Reason}");
                }

                var answer = await agents.GetResponseAsync("In one sentence: what are you?", cancellationToken: stoppingToken);
                Console.WriteLine($"  answer from {answer.ModelId ?? "(model not reported)"}: {answer.Text}");
            }
            catch (ModelgateConfigurationException e)
            {
                Console.WriteLine($"  not configured: {e.Message}");
            }
            catch (ModelgateProviderException e)
            {
                Console.WriteLine($"  provider error (HTTP {e.StatusCode?.ToString() ?? "none"}): {e.Message}");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken) && !lifetime.ApplicationStopping.IsCancellationRequested);
    }
}
