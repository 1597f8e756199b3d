using Modelgate.Core.Catalog;

namespace Modelgate.Core.Usage;

/// <summary>
/// List prices of well-known models, used when a model is created without prices so that its usage is never recorded
/// as free by mistake. Each provider kind carries its own list (<see cref="ProviderKind.Prices"/>, kept in the kind's
/// folder); administrators can change a model's prices like any price.
/// </summary>
public static class BuiltInPrices
{
    /// <summary>When the lists were last checked against the providers' price pages.</summary>
    public const string AsOf = "2026-11";

    /// <summary>The list price of <paramref name="modelId"/> at a provider of <paramref name="kind"/>, or null when not known.</summary>
    public static Pricing? For(ProviderKind kind, string modelId) => kind.Prices.Find(modelId);
}
