using Modelgate.Core.Catalog;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// A variant as the admin API shows it. <see cref="ModelId"/> null: the target as configured; <see cref="ModelName"/>
/// null with an id: the model no longer exists (a stopped experiment keeps its definition).
/// </summary>
public sealed record ExperimentVariantView(
    string Name,
    bool Control,
    Guid? ModelId,
    string? ModelName,
    string? ProviderName,
    int Weight,
    bool Shadow,
    ModelParameters? Parameters);
