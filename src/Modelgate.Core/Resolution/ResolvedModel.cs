using System.Text.Json.Serialization;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;

namespace Modelgate.Core.Resolution;

/// <summary>
/// What to call for a purpose right now, and why: provider, model, key, address, effective parameters,
/// prices, and where it came from. The decrypted key is never part of <see cref="ToString"/> or JSON.
/// </summary>
public sealed class ResolvedModel
{
    /// <summary>The purpose that was asked for (an agent type keeps its own name even when it falls back).</summary>
    public required Purpose Purpose { get; init; }

    public required ProviderConfig Provider { get; init; }

    public required ModelDefinition Model { get; init; }

    /// <summary>The plaintext key, or null for providers that need none.</summary>
    [JsonIgnore]
    public string? ApiKey { get; init; }

    public string? ApiKeyMask => Provider.ApiKeyMask;

    /// <summary>Where the call goes: the provider's base_url, or its kind's default address.</summary>
    public string? BaseUrl => Provider.EffectiveBaseUrl;

    public ModelParameters Parameters => Model.Parameters;

    public Pricing Pricing => Model.Pricing;

    public required ResolutionSource Source { get; init; }

    /// <summary>The alias the caller named, when it was one (a deprecated one makes the gateway say so).</summary>
    public ModelAlias? Alias { get; init; }

    /// <summary>The experiment and variant the call was assigned, when an experiment took it.</summary>
    public ExperimentArm? Arm { get; init; }

    /// <summary>A sentence saying which rows or variables decided this, for people reading logs and the API.</summary>
    public required string Reason { get; init; }

    /// <summary>The catalog version this came from (0 for the environment with an empty catalog).</summary>
    public required long CatalogVersion { get; init; }

    /// <summary>Same provider, kind, address, model, key and source: a change worth logging when this differs.</summary>
    public bool SameTargetAs(ResolvedModel other) =>
        Source == other.Source && Provider.Id == other.Provider.Id && Provider.Name == other.Provider.Name && Provider.Kind == other.Provider.Kind
        && Model.ModelId == other.Model.ModelId && Provider.ApiKeyCiphertext == other.Provider.ApiKeyCiphertext && BaseUrl == other.BaseUrl;

    public override string ToString() => $"{Purpose} -> {Provider.Name}/{Model.ModelId} ({Source.ToName()}, v{CatalogVersion})";
}
