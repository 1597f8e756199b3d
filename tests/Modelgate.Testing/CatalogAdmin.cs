using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;

namespace Modelgate.Testing;

/// <summary>
/// The administrator's side of a test without HTTP: the real stores (validation, serialized writes, version
/// publishing) on a test database, as the server uses them.
/// </summary>
public sealed class CatalogAdmin : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CatalogAdmin(ServiceProvider services) => _services = services;

    public ProviderStore Providers => _services.GetRequiredService<ProviderStore>();

    public ModelStore Models => _services.GetRequiredService<ModelStore>();

    public DefaultsStore Defaults => _services.GetRequiredService<DefaultsStore>();

    public AliasStore Aliases => _services.GetRequiredService<AliasStore>();

    public ExperimentStore Experiments => _services.GetRequiredService<ExperimentStore>();

    public CurrentCatalog Catalog => _services.GetRequiredService<CurrentCatalog>();

    public static async Task<CatalogAdmin> StartAsync(TestDatabase database, string? masterKey = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new MasterKeyStore(new MasterKeyOptions { EnvironmentKey = masterKey, KeyFilePath = Path.Combine(database.DataDirectory.Path, "master.key") }));
        services.AddSingleton<SecretProtector>();
        services.AddSingleton(new BaseUrlPolicy());
        services.AddSingleton(EnvironmentFallback.None);
        services.AddSingleton<CurrentCatalog>();
        services.AddModelgateStorage(database.Options);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
        await provider.GetRequiredService<SecretKeyMaintenance>().LoadAndVerifyAsync(CancellationToken.None);
        await provider.GetRequiredService<CatalogTransaction>().EnsurePublishedAsync(CancellationToken.None);
        return new CatalogAdmin(provider);
    }

    public async Task<ProviderView> AddProviderAsync(string type, string? baseUrl, string? apiKey)
    {
        var result = await Providers.CreateAsync(new ProviderChanges { Name = $"{type}-{Guid.NewGuid():N}", Type = type, BaseUrl = baseUrl, ApiKey = apiKey }, "test", CancellationToken.None);
        return result.Value ?? throw new InvalidOperationException(result.Error!.Detail);
    }

    public async Task<ModelView> AddModelAsync(ProviderView provider, string modelId, string type = "chat", ModelParameters? parameters = null)
    {
        var result = await Models.CreateAsync(new ModelChanges
        {
            ProviderId = provider.Id, ModelId = modelId, Type = type,
            Temperature = parameters?.Temperature, TopP = parameters?.TopP, MaxTokens = parameters?.MaxTokens,
        }, "test", CancellationToken.None);
        return result.Value ?? throw new InvalidOperationException(result.Error!.Detail);
    }

    /// <summary>Sets a default and returns the catalog version that change published.</summary>
    public async Task<long> SetDefaultAsync(string purpose, ModelView model)
    {
        var result = await Defaults.SetAsync(purpose, model.Id.ToString(), "test", CancellationToken.None);
        _ = result.Value ?? throw new InvalidOperationException(result.Error!.Detail);
        return Catalog.State.Snapshot.Version;
    }

    /// <summary>Creates or replaces an alias and returns the catalog version that change published.</summary>
    public async Task<long> SetAliasAsync(string name, ModelView model, bool deprecated = false)
    {
        var result = await Aliases.SetAsync(name, new AliasChanges(model.Id.ToString(), null, deprecated), null, "test", CancellationToken.None);
        _ = result.Value ?? throw new InvalidOperationException(result.Error!.Detail);
        return Catalog.State.Snapshot.Version;
    }

    /// <summary>Creates a running experiment on <paramref name="target"/> and returns the catalog version that change published.</summary>
    public async Task<long> StartExperimentAsync(string name, string target, params ExperimentVariantChanges[] variants)
    {
        var result = await Experiments.CreateAsync(new ExperimentChanges { Name = name, Target = target, Variants = variants }, "test", CancellationToken.None);
        _ = result.Value ?? throw new InvalidOperationException(result.Error!.Detail);
        return Catalog.State.Snapshot.Version;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
