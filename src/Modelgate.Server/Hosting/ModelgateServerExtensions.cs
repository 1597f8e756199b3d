using Microsoft.AspNetCore.Authentication;
using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;
using Modelgate.Server.Api;
using Modelgate.Server.Auth;
using Modelgate.Server.Gateway;
using Modelgate.Server.Ui;
using Modelgate.Server.Ui.Security;
using Modelgate.Server.Gateway.Translation;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Providers;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Usage;
using Modelgate.Server.Gateway.Usage;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Modelgate.Server.Hosting;

/// <summary>Composition of the server: services in <see cref="AddModelgateServer"/>, endpoints in <see cref="MapModelgate"/>.</summary>
internal static class ModelgateServerExtensions
{
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    };

    public static WebApplicationBuilder AddModelgateServer(this WebApplicationBuilder builder)
    {
        // Logging defaults that hold wherever the server is started from: appsettings.json is read from the working
        // directory, and without it ASP.NET Core and EF Core log every request at Information. They come first, so
        // appsettings.json and the environment (Logging__LogLevel__...) still override them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LoggingDefaults });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(ModelgateSettings.DefaultUrl);
        }

        var settings = ModelgateSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new MasterKeyStore(settings.MasterKey));
        services.AddSingleton(new BaseUrlPolicy(settings.AllowPrivateBaseUrls));
        services.AddModelgateStorage(settings.Database);
        services.AddModelgateUsage(UsageSettings.From(builder.Configuration, settings.DataDirectory));
        if (!UsageSettings.Enabled(builder.Configuration))
        {
            // Recording off (MODELGATE_USAGE_ENABLED=false): calls are not recorded, budgets see no new spend.
            services.AddSingleton<Core.Usage.IUsageRecorder>(Core.Usage.NoUsageRecorder.Instance);
        }

        services.AddSingleton<GatewayTelemetry>();
        var telemetry = services.AddOpenTelemetry()
            // "modelgate" unless the standard OTEL_SERVICE_NAME says otherwise.
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "modelgate"))
            .WithMetrics(metrics => metrics.AddMeter(GatewayTelemetry.Name, UsageMetrics.MeterName, "System.Runtime").AddPrometheusExporter());
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
        {
            // Spans and metrics also go to an OpenTelemetry collector when one is configured (standard OTEL_* settings).
            telemetry.WithTracing(tracing => tracing.AddSource(GatewayTelemetry.Name).AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        services.AddModelgateCatalog(_ => settings.DataDirectory);

        var gatewayOptions = GatewayOptions.From(builder.Configuration);
        services.AddSingleton(sp => UpstreamHttp.CreateHandler(sp.GetRequiredService<BaseUrlPolicy>(), gatewayOptions.MaxConnectionsPerProvider));
        // Streams get the drain time, then the usage writer its flush time; past both the host gives up.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = gatewayOptions.DrainTimeout + TimeSpan.FromSeconds(25));
        services.AddSingleton<GatewayDrain>();
        services.AddSingleton(sp => new HttpMessageInvoker(sp.GetRequiredService<SocketsHttpHandler>(), disposeHandler: false));
        // The pipeline's per-attempt rules, shared by the pass-through and translated paths (and written once, in Core);
        // the SDK clients use the gateway's own connections, bounded per provider.
        services.AddModelgatePipeline(
            _ => PipelineOptions.Checked(gatewayOptions.FirstByteTimeout, gatewayOptions.RequestTimeout, gatewayOptions.StreamIdleTimeout),
            sp => (sp.GetRequiredService<SocketsHttpHandler>(), false));
        services.AddSingleton(sp => new ProviderConnectionTest(
            sp.GetRequiredService<ProviderAdapters>(), sp.GetRequiredService<SecretProtector>(), sp.GetRequiredService<SocketsHttpHandler>()));
        services.AddSingleton<TranslatingChat>();
        services.AddSingleton(gatewayOptions);
        services.AddSingleton<GatewayConcurrency>();
        services.AddSingleton<GatewayDispatch>();
        if (SettingValues.Flag(builder.Configuration, "MODELGATE_MEMORY_TRIM", fallback: true))
        {
            services.AddHostedService<MemoryTrimmer>();
        }
        services.AddSingleton<OpenAIPassthrough>();
        services.AddSingleton<AnthropicPassthrough>();
        services.AddSingleton<TranslatingEmbeddings>();
        services.AddSingleton<TokenCounting>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenCounting>());
        services.AddSingleton<GatewayServices>();
        services.AddSingleton<AdminTokenVerifier>();
        services.AddSingleton<AdminTokenBootstrapper>();
        services.AddSingleton(new AdminConsole(Console.Out));
        services.AddHostedService<StartupInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogMonitor>());
        services.AddSingleton<InstanceRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceRegistry>());

        // Only the admin API authenticates, through its policy: with no default scheme (ASP.NET Core would make the
        // only scheme the default), a gateway request's virtual key is never checked as an admin token, nor logged as
        // a failed admin sign-in.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        // The admin API takes the token as a bearer header and nothing else (so no cross-site request can use it);
        // the console has its own cookie session with CSRF tokens.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null)
            .AddAdminSession();
        services.AddAuthorization(o =>
        {
            o.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(AdminTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().Build();
            o.AddPolicy(AdminSession.Policy, p => p.AddAuthenticationSchemes(AdminSession.Scheme).RequireAuthenticatedUser());
        });
        services.AddModelgateUi();
        services.AddProblemDetails();
        services.AddExceptionHandler<ErrorHandling>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi(o => o.AddSchemaTransformer<OptionalSchemaTransformer>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", HealthStatus.Degraded).AddCheck<CatalogHealthCheck>("catalog");
        return builder;
    }

    public static WebApplication MapModelgate(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapModelgateUi();

        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapProvidersApi().MapModelsApi().MapDefaultsApi().MapFallbacksApi().MapResolveApi().MapConfigVersionsApi().MapInstancesApi().MapKeysApi().MapAuditApi().MapSecretsApi().MapUsageApi();

        app.MapGateway();
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Modelgate API"));
        app.MapHealthChecks("/health");
        // Per-model cost and traffic are the administrator's business: the scrape needs the admin token unless
        // MODELGATE_METRICS_PUBLIC=true (for a scraper on a private network).
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (!SettingValues.Flag(app.Configuration, "MODELGATE_METRICS_PUBLIC", fallback: false))
        {
            metrics.RequireAuthorization();
        }
        return app;
    }
}
