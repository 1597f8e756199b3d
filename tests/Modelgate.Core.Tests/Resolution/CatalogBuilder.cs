using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;
using Modelgate.Testing;

namespace Modelgate.Core.Tests.Resolution;

/// <summary>Builds snapshots for resolution tests, encrypting keys with a real protector.</summary>
internal sealed class CatalogBuilder : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<ProviderConfig> _providers = [];
    private readonly List<ModelDefinition> _models = [];
    private readonly Dictionary<string, Guid> _defaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid[]> _fallbacks = new(StringComparer.Ordinal);
    private readonly List<ModelAlias> _aliases = [];
    private readonly List<Experiment> _experiments = [];

    public CatalogBuilder()
    {
        var keys = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = Path.Combine(_dir.Path, "master.key") });
        keys.TryLoad(createIfMissing: true);
        Protector = new SecretProtector(keys);
    }

    public SecretProtector Protector { get; }

    public ProviderConfig Provider(ProviderKind? kind = null, string? apiKey = "sk-test-key-0000000000000000000000", bool active = true, string? name = null)
    {
        kind ??= ProviderKind.Anthropic;
        var id = Guid.NewGuid();
        var provider = new ProviderConfig(id, name ?? $"{kind}-{_providers.Count}", kind, kind == ProviderKind.OpenAICompatible ? "http://127.0.0.1:9/v1" : null,
            apiKey is null ? null : Protector.Protect(apiKey, SecretContext.ProviderApiKey(id)), apiKey is null ? null : SecretMask.Mask(apiKey), active, false, RateLimits.None);
        _providers.Add(provider);
        return provider;
    }

    public ModelDefinition Model(ProviderConfig provider, string modelId, ModelKind kind = ModelKind.Chat, bool active = true, ModelParameters? parameters = null)
    {
        var model = new ModelDefinition(Guid.NewGuid(), provider.Id, modelId, null, kind, active, parameters ?? ModelParameters.None, new Pricing(3m, 15m), null, null);
        _models.Add(model);
        return model;
    }

    public CatalogBuilder Default(string purpose, ModelDefinition model)
    {
        _defaults[purpose] = model.Id;
        return this;
    }

    public CatalogBuilder Fallbacks(string purpose, params ModelDefinition[] models)
    {
        _fallbacks[purpose] = [.. models.Select(m => m.Id)];
        return this;
    }

    public CatalogBuilder Alias(string name, ModelDefinition model, bool deprecated = false)
    {
        _aliases.Add(new ModelAlias(name, model.Id, null, deprecated));
        return this;
    }

    public CatalogBuilder Experiment(Experiment experiment)
    {
        _experiments.RemoveAll(e => e.Id == experiment.Id);
        _experiments.Add(experiment);
        return this;
    }

    public void Replace(ProviderConfig provider) => _providers[_providers.FindIndex(p => p.Id == provider.Id)] = provider;

    public CatalogSnapshot Build(long version = 1) => new(version, DateTimeOffset.UnixEpoch.AddDays(version), _providers, _models, _defaults, fallbacks: _fallbacks, aliases: _aliases, experiments: _experiments);

    public void Dispose() => _dir.Dispose();
}
