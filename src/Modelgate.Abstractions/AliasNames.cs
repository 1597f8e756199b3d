namespace Modelgate.Core.Catalog;

/// <summary>The rule for an alias's name: what a model id may look like, and never a purpose's name or a Modelgate id.</summary>
public static class AliasNames
{
    public const int MaxLength = 200;

    /// <summary>Null when <paramref name="name"/> may name an alias, otherwise why not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "name is required";
        }

        if (name.Length > MaxLength)
        {
            return $"name must be at most {MaxLength} characters";
        }

        if (!name.All(Allowed) || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return "name must start with a letter or digit and use only letters, digits and '-', '_', '.', ':', '/', '@', '+' (like a model id)";
        }

        if (name is Purpose.ChatName or Purpose.AgentsName or Purpose.EmbeddingsName || name.StartsWith(Purpose.AgentTypePrefix, StringComparison.Ordinal))
        {
            return $"'{name}' is a purpose's name (chat, agents, embeddings, agents/<type>); an alias must not take it";
        }

        return Guid.TryParse(name, out _) ? "name must not look like a Modelgate id" : null;
    }

    private static bool Allowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@' or '+';
}
