using Microsoft.Extensions.AI;

namespace Modelgate.Core.Experiments;

/// <summary>
/// How a .NET application names the session of a direct-mode call, for experiments' sticky assignment and feedback:
/// <c>options.AdditionalProperties["modelgate_session"] = "…"</c> (taken off the options before the provider sees them).
/// <see cref="ChatOptions.ConversationId"/> is not used: a Responses-based client changes it every turn, and it names the
/// conversation to one provider.
/// </summary>
public static class ExperimentSession
{
    public static string? Of(ChatOptions? options) =>
        options?.AdditionalProperties is { } extra && extra.TryGetValue(ModelgateSession.OptionKey, out var value) && value?.ToString() is { } named
            ? ModelgateSession.Clean(named)
            : null;

    /// <summary>The options without the session's entry (the same instance when it has none).</summary>
    public static ChatOptions? Without(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } extra || !extra.ContainsKey(ModelgateSession.OptionKey))
        {
            return options;
        }

        var copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(extra.Where(p => p.Key != ModelgateSession.OptionKey));
        return copy;
    }
}
