using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Client;

/// <summary>Checks a purpose name (or an alias) an application asks a client for, in either mode, before anything is called.</summary>
internal static class PurposeNames
{
    /// <summary>
    /// A purpose of the right kind, or a name an alias may have (<c>smart</c>): an alias is looked up on every call, as
    /// configured then, so it may be created after the client.
    /// </summary>
    public static string Target(string name, ModelKind kind)
    {
        if (Purpose.TryParse(name, out _) || name.StartsWith(Purpose.AgentTypePrefix, StringComparison.Ordinal) || AliasNames.Check(name) is not null)
        {
            return Parse(name, kind).Name;
        }

        return name;
    }

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
