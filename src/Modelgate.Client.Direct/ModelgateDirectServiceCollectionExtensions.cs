using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;

namespace Modelgate.Client;

/// <summary>
/// Adds Modelgate to an application in direct mode: keyed clients per purpose that read the catalog database the
/// Modelgate server manages and call providers under the same pipeline as the gateway.
/// </summary>
public static class ModelgateDirectServiceCollectionExtensions
{
    /// <summary>
    /// Direct mode: reads the catalog database the Modelgate server manages and follows its changes (LISTEN/NOTIFY or
    /// polling). Registers <c>[FromKeyedServices("chat")]</c> and <c>("agents")</c> <see cref="IChatClient"/>,
    /// <c>("embeddings")</c> <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, and <see cref="IModelgateClients"/>
    /// for agent types. Through the gateway instead: <see cref="ModelgateServiceCollectionExtensions.AddModelgateGateway"/>.
    /// </summary>
    public static IServiceCollection AddModelgate(this IServiceCollection services, Action<ModelgateClientOptions>? configure = null)
    {
        services.AddOptions<ModelgateClientOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.DataDirectory ??= Path.GetFullPath(config["MODELGATE_DATA_DIR"] is { Length: > 0 } dir ? dir : "data");
            o.Database ??= config["MODELGATE_DATABASE"];
            o.MasterKey ??= config["MODELGATE_MASTER_KEY"];
            o.Redis ??= config["MODELGATE_REDIS"] is { Length: > 0 } redis ? redis : null;
            o.LimitsWithoutRedis = config["MODELGATE_LIMITS_WITHOUT_REDIS"]?.Trim().ToLowerInvariant() switch
            {
                null or "" => o.LimitsWithoutRedis,
                "local" => Core.Limits.SharedCountersPolicy.Local,
                "allow" => Core.Limits.SharedCountersPolicy.Allow,
                "reject" => Core.Limits.SharedCountersPolicy.Reject,
                _ => throw new InvalidOperationException("MODELGATE_LIMITS_WITHOUT_REDIS must be local, allow or reject (what limits do while Redis is out of reach)."),
            };
        });
        if (configure is not null)
        {
            services.PostConfigure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddModelgateStorage(sp => Options(sp) is var o ? DatabaseOptions.From(o.Database, o.DataDirectory!) : null!);
        services.AddSingleton(sp => new MasterKeyStore(new MasterKeyOptions
        {
            EnvironmentKey = Options(sp).MasterKey,
            PreviousKeys = sp.GetRequiredService<IConfiguration>()["MODELGATE_PREVIOUS_MASTER_KEYS"],
            KeyFilePath = Path.Combine(Options(sp).DataDirectory!, "master.key"),
        }));
        services.AddModelgateCatalog(sp => Options(sp).DataDirectory!);
        services.AddHostedService<ModelgateClientStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogMonitor>());

        // Calls are recorded like the gateway's, through the same background writer (spilling to the data folder when
        // the database cannot take them); switched off with RecordUsage = false.
        services.AddModelgateUsageWriter(sp => new Storage.Usage.UsageOptions
        {
            SpillPath = Path.Combine(Options(sp).DataDirectory!, "usage-spill-client.jsonl"),
        });
        // Limits counted with the servers' in Redis when it is configured, else in this process.
        services.AddSingleton<Core.Limits.ILimitCounters>(sp => Options(sp).Redis is { Length: > 0 } redis
            ? Storage.Limits.LimitsServiceCollectionExtensions.Fleet(sp, Storage.Limits.RedisLimitCounters.Connect(redis), Options(sp).LimitsWithoutRedis, () => 1)
            : new Core.Limits.InProcessLimitCounters(sp.GetRequiredService<TimeProvider>()));
        // The pipeline's rules, as the gateway applies them: limits, retries, breakers, deadlines; the SDK
        // clients get connections of their own, renewed every 5 minutes (DNS changes are seen).
        services.AddModelgatePipeline(
            sp => PipelineOptions.Checked(Options(sp).FirstByteTimeout, Options(sp).RequestTimeout, Options(sp).StreamIdleTimeout),
            _ => (new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, true));
        // Budgets: with a named virtual key, what every instance has spent is re-read every few seconds.
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => Options(sp).VirtualKey is { Length: > 0 }
            ? ActivatorUtilities.CreateInstance<Storage.Usage.SpendRefresher>(sp)
            : new NoSpendRefresh());
        services.AddSingleton<IModelgateClients>(sp =>
        {
            var options = Options(sp);
            // A named virtual key: its rules apply to every call, and its calls are always recorded against it.
            var key = options.VirtualKey is { Length: > 0 } name
                ? new KeyScope(
                    name, sp.GetRequiredService<CurrentCatalog>(), sp.GetRequiredService<Storage.Usage.SpendLedger>(), sp.GetRequiredService<TimeProvider>())
                : null;
            var recorded = options.RecordUsage || key is not null;
            // Shadow copies exist to be recorded: without usage, an experiment's shadow variants get none.
            return new ModelgateClients(
                sp.GetRequiredService<ModelResolver>(), sp.GetRequiredService<ModelClients>(),
                recorded ? sp.GetRequiredService<Core.Usage.IUsageRecorder>() : null, sp.GetRequiredService<TimeProvider>(), key,
                recorded ? sp.GetRequiredService<Core.Experiments.ShadowCalls>() : null);
        });
        return services.AddPurposeClients();
    }

    private static ModelgateClientOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ModelgateClientOptions>>().Value;

    // Without a named key there is no budget to follow: nothing polls the database for spend.
    private sealed class NoSpendRefresh : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
