using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Providers;
using Modelgate.Core.Secrets;
using Modelgate.Server.Gateway.Translation;
using Modelgate.Server.Gateway.Usage;
using Modelgate.Server.Hosting;
using Modelgate.Storage;
using Modelgate.Storage.Usage;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Modelgate.Server.Gateway;

/// <summary>The gateway's services: how providers are reached, the request pipeline, the endpoints' parts, telemetry.</summary>
internal static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway with its settings (<c>MODELGATE_GATEWAY_*</c>, <see cref="GatewayOptions"/>): one connection
    /// pool to providers (checked against <see cref="BaseUrlPolicy"/> on every connect), the pipeline shared with direct
    /// mode (<see cref="PipelineServiceCollectionExtensions.AddModelgatePipeline"/>) on those connections, the drain,
    /// the passthrough and translated paths, token counting, and the GenAI metrics and spans.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        var options = GatewayOptions.From(configuration);
        services.AddSingleton(options);
        services.AddSingleton(sp => UpstreamHttp.CreateHandler(sp.GetRequiredService<BaseUrlPolicy>(), options.MaxConnectionsPerProvider));
        services.AddSingleton(sp => new HttpMessageInvoker(sp.GetRequiredService<SocketsHttpHandler>(), disposeHandler: false));
        // Streams get the drain time, then the usage writer its flush time; past both the host gives up.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(25));
        services.AddSingleton<GatewayDrain>();
        // The pipeline's per-attempt rules, shared by the pass-through and translated paths (and written once, in Core);
        // the SDK clients use the gateway's own connections, bounded per provider.
        services.AddModelgatePipeline(
            _ => PipelineOptions.Checked(options.FirstByteTimeout, options.RequestTimeout, options.StreamIdleTimeout),
            sp => (sp.GetRequiredService<SocketsHttpHandler>(), false));
        services.AddSingleton(sp => new ProviderConnectionTest(
            sp.GetRequiredService<ProviderAdapters>(), sp.GetRequiredService<SecretProtector>(), sp.GetRequiredService<SocketsHttpHandler>()));
        services.AddSingleton<GatewayConcurrency>();
        services.AddSingleton<GatewayDispatch>();
        services.AddSingleton<OpenAIPassthrough>();
        services.AddSingleton<AnthropicPassthrough>();
        services.AddSingleton<TranslatingChat>();
        services.AddSingleton<TranslatingEmbeddings>();
        services.AddSingleton<MessageTokenCount>();
        // Responses API calls are kept (encrypted, per key) so later calls can continue from them; 0 days keeps none.
        services.AddModelgateResponseStore(SettingValues.Days(configuration, "MODELGATE_RESPONSES_RETENTION_DAYS", 30));
        services.AddSingleton<ResponsesHistory>();
        services.AddSingleton<TokenCounting>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenCounting>());
        services.AddSingleton<GatewayServices>();
        return services.AddGatewayTelemetry(configuration);
    }

    // GenAI metrics at /metrics, and spans and metrics to an OpenTelemetry collector when one is configured.
    private static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<GatewayTelemetry>();
        var telemetry = services.AddOpenTelemetry()
            // "modelgate" unless the standard OTEL_SERVICE_NAME says otherwise.
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "modelgate"))
            .WithMetrics(metrics => metrics.AddMeter(GatewayTelemetry.Name, UsageMetrics.MeterName, Core.Limits.Limiter.MeterName, Core.Experiments.ShadowCalls.MeterName, "System.Runtime").AddPrometheusExporter());
        if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
        {
            // Spans and metrics also go to an OpenTelemetry collector when one is configured (standard OTEL_* settings).
            telemetry.WithTracing(tracing => tracing.AddSource(GatewayTelemetry.Name).AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        return services;
    }
}
