using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Modelgate.Core.Catalog;

/// <summary>
/// What a model is used for: <c>chat</c>, <c>agents</c>, <c>embeddings</c>, or a named agent type
/// <c>agents/&lt;name&gt;</c> that falls back to <c>agents</c> when it has no default of its own.
/// </summary>
public readonly partial record struct Purpose
{
    public const string ChatName = "chat";
    public const string AgentsName = "agents";
    public const string EmbeddingsName = "embeddings";
    public const string AgentTypePrefix = "agents/";

    public static readonly Purpose Chat = new(ChatName);
    public static readonly Purpose Agents = new(AgentsName);
    public static readonly Purpose Embeddings = new(EmbeddingsName);

    private Purpose(string name) => Name = name;

    /// <summary>The canonical name, e.g. <c>agents/researcher</c>.</summary>
    public string Name { get; }

    /// <summary>The agent type for <c>agents/&lt;type&gt;</c>, otherwise null.</summary>
    public string? AgentType => Name.StartsWith(AgentTypePrefix, StringComparison.Ordinal) ? Name[AgentTypePrefix.Length..] : null;

    /// <summary>The purpose this one falls back to when unset (<c>agents</c> for agent types), otherwise null.</summary>
    public Purpose? Parent => AgentType is null ? null : Agents;

    /// <summary>The kind of model that can serve this purpose.</summary>
    public ModelKind RequiredModelKind => Name == EmbeddingsName ? ModelKind.Embedding : ModelKind.Chat;

    public static Purpose ForAgentType(string agentType) =>
        TryParse(AgentTypePrefix + agentType, out var purpose, out var error) ? purpose : throw new ArgumentException(error, nameof(agentType));

    public static bool TryParse(string? value, out Purpose purpose, [NotNullWhen(false)] out string? error)
    {
        if (TryParse(value, out purpose))
        {
            error = null;
            return true;
        }

        error = value is not null && value.StartsWith(AgentTypePrefix, StringComparison.Ordinal)
            ? $"agent type '{Printable(value[AgentTypePrefix.Length..])}' is not valid: use 1-64 characters a-z, 0-9, '-' or '_', starting with a letter or digit (e.g. 'agents/researcher')"
            : $"unknown purpose '{Printable(value ?? "")}': use 'chat', 'agents', 'embeddings' or 'agents/<type>'";
        return false;
    }

    /// <summary>Parses a purpose name without saying why it is not one (no allocation on the gateway's path).</summary>
    public static bool TryParse(string? value, out Purpose purpose)
    {
        var valid = value switch
        {
            ChatName or AgentsName or EmbeddingsName => true,
            not null when value.StartsWith(AgentTypePrefix, StringComparison.Ordinal) => AgentTypeName().IsMatch(value.AsSpan(AgentTypePrefix.Length)),
            _ => false,
        };
        purpose = valid ? new Purpose(value!) : default;
        return valid;
    }

    public override string ToString() => Name;

    private static string Printable(string value) =>
        new([.. value.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex AgentTypeName();
}
