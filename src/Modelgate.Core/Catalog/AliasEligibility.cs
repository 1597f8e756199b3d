namespace Modelgate.Core.Catalog;

/// <summary>
/// The rule for which model an alias may point at: an active model on an active provider, as for defaults
/// (<see cref="DefaultEligibility"/>). An alias has no kind of its own; its callers expect the kind it has served, which is
/// why changing a target's type is guarded where the model is changed.
/// </summary>
public static class AliasEligibility
{
    /// <summary>Whether a model in that state can serve calls made through an alias.</summary>
    public static bool CanServe(bool modelActive, bool providerActive) => modelActive && providerActive;

    /// <summary>Returns why the model cannot be the alias's target, or null when it can.</summary>
    public static CatalogError? Check(string alias, string modelName, bool modelActive, string providerName, bool providerActive, string field)
    {
        if (!modelActive)
        {
            return CatalogError.Conflict($"model '{modelName}' is inactive and cannot be the target of alias '{alias}'; activate it first, or point the alias at an active model", field);
        }

        return providerActive
            ? null
            : CatalogError.Conflict($"model '{modelName}' belongs to inactive provider '{providerName}' and cannot be the target of alias '{alias}'; activate the provider first, or point the alias at another model", field);
    }
}
