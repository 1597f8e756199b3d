using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Client;

/// <summary>Checks a purpose name an application asks a client for, in either mode, before anything is called.</summary>
internal static class PurposeNames
{
    public static Purpose Parse(string name, ModelKind kind)
    {
        if (!Purpose.TryParse(name, out var purpose, out var error))
        {
            throw new ModelgateConfigurationException(name, error);
        }

        return purpose.RequiredModelKind == kind
            ? purpose
            : throw new ModelgateConfigurationException(name, $"'{name}' is served by {(kind == ModelKind.Chat ? "an embedding generator" : "a chat client")}, not by {(kind == ModelKind.Chat ? "a chat client" : "an embedding generator")}.");
    }
}
