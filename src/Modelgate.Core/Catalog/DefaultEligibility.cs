namespace Modelgate.Core.Catalog;

/// <summary>The rule for which model may be a purpose's default: active, of the right kind, on an active provider.</summary>
public static class DefaultEligibility
{
    /// <summary>Returns why the model cannot be the purpose's default, or null when it can.</summary>
    public static CatalogError? Check(Purpose purpose, string modelName, ModelKind kind, bool modelActive, string providerName, bool providerActive, string field)
    {
        if (kind != purpose.RequiredModelKind)
        {
            return CatalogError.Invalid(field,
                $"model '{modelName}' is {Article(kind)} model and cannot be the default for '{purpose}', which needs {Article(purpose.RequiredModelKind)} model");
        }

        if (!modelActive)
        {
            return CatalogError.Conflict($"model '{modelName}' is inactive and cannot be the default for '{purpose}'; activate it first", field);
        }

        return providerActive
            ? null
            : CatalogError.Conflict($"model '{modelName}' belongs to inactive provider '{providerName}' and cannot be the default for '{purpose}'; activate the provider first", field);
    }

    private static string Article(ModelKind kind) => kind == ModelKind.Embedding ? "an embedding" : "a chat";
}
