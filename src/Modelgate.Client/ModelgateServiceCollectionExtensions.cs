using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Catalog;

namespace Modelgate.Client;

/// <summary>
/// Adds Modelgate to an application through its gateway: keyed clients per purpose that always use what is configured
/// now. Direct mode (<c>AddModelgate</c>, reading the catalog database) is in the Modelgate.Client.Direct package.
/// </summary>
public static class ModelgateServiceCollectionExtensions
{
    /// <summary>
    /// Remote mode: calls the Modelgate gateway (<c>MODELGATE_URL</c>) with a virtual key (<c>MODELGATE_API_KEY</c>),
    /// naming the purpose as the model, so the server resolves what is configured now on every call; the application
    /// needs no database access and holds no provider key. Registers the same clients as direct mode's <c>AddModelgate</c>.
    /// </summary>
    public static IServiceCollection AddModelgateGateway(this IServiceCollection services, Action<ModelgateGatewayOptions>? configure = null)
    {
        services.AddOptions<ModelgateGatewayOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.Url ??= config["MODELGATE_URL"] is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : null;
            o.ApiKey ??= config["MODELGATE_API_KEY"];
        });
        if (configure is not null)
        {
            services.PostConfigure(configure);
        }

        services.AddSingleton<IModelgateClients, Gateway.GatewayClients>();
        return services.AddPurposeClients();
    }

    // The keyed clients both modes offer: chat and agents chat clients, the embeddings generator.
    internal static IServiceCollection AddPurposeClients(this IServiceCollection services)
    {
        foreach (var purpose in new[] { Purpose.ChatName, Purpose.AgentsName })
        {
            services.AddKeyedSingleton<IChatClient>(purpose, (sp, _) => sp.GetRequiredService<IModelgateClients>().ChatClient(purpose));
        }

        services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            Purpose.EmbeddingsName, (sp, _) => sp.GetRequiredService<IModelgateClients>().EmbeddingGenerator());
        return services;
    }
}
