using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;
using Modelgate.Server.Api;
using Modelgate.Server.Gateway;
using Modelgate.Server.Ui;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Composition of the server: services in <see cref="AddModelgateServer"/>, one registration per area (storage, usage,
/// catalog, gateway, admin API, console), endpoints in <see cref="MapModelgate"/>.
/// </summary>
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

        services.AddModelgateCatalog(_ => settings.DataDirectory);
        // Limits shared on Redis when configured: before the gateway's pipeline, which otherwise counts them in process.
        services.AddModelgateLimits(builder.Configuration);
        services.AddGateway(builder.Configuration);
        if (SettingValues.Flag(builder.Configuration, "MODELGATE_MEMORY_TRIM", fallback: true))
        {
            services.AddHostedService<MemoryTrimmer>();
        }

        // Hosted services start in registration order: the schema, master key, admin token and catalog first
        // (StartupInitializer), then the monitor that follows the catalog's changes, then this instance's registration;
        // the console's data protection (which reads its keys from the database) only after them.
        services.AddSingleton<ConfigFileAtStart>();
        services.AddHostedService<StartupInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogMonitor>());
        services.AddSingleton<InstanceRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceRegistry>());
        // Guardrails: every instance watches the live experiments (a stop is idempotent).
        services.AddSingleton(ExperimentMonitorOptions.From(builder.Configuration));
        services.AddHostedService<ExperimentMonitor>();
        // The console before the admin API: its problem writer (HTML pages) is asked before the default (problem+json).
        services.AddModelgateUi();
        services.AddAdminApi();
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
        api.MapProvidersApi().MapModelsApi().MapDefaultsApi().MapFallbacksApi().MapAliasesApi().MapExperimentsApi().MapExperimentResultsApi().MapFeedbackApi()
            .MapResolveApi().MapConfigVersionsApi().MapConfigFileApi().MapVersionApi().MapInstancesApi().MapKeysApi().MapAuditApi().MapSecretsApi().MapUsageApi();

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
