using System.Text.Json.Nodes;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// The fields an endpoint cannot do without, checked the same for every provider behind it: a chat request's
/// <c>messages</c> (a non-empty array, at most <see cref="GatewayOptions.MaxMessages"/>, of objects with a <c>role</c>),
/// an embeddings request's <c>input</c> (a string or a non-empty array), a Responses request's <c>input</c> (a string, or
/// a non-empty array of at most <see cref="GatewayOptions.MaxMessages"/> item objects). The rest is the provider's to judge.
/// </summary>
internal static class RequestShape
{
    /// <summary>What is wrong with the body, in the words of the caller's format, or null.</summary>
    public static (string Message, string Param)? Problem(JsonObject body, GatewayFormat format, string operation) =>
        operation == UsageOperations.Embeddings ? Input(body) : format == GatewayFormat.Responses ? Items(body) : Messages(body, format);

    private static (string, string)? Items(JsonObject body)
    {
        switch (body["input"])
        {
            case JsonValue one when one.TryGetValue(out string? _):
                return null;
            case JsonArray { Count: > 0 } items:
                if (items.Count > GatewayOptions.MaxMessages)
                {
                    return ($"A request may carry at most {GatewayOptions.MaxMessages} input items; this one has {items.Count}.", "input");
                }

                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is not JsonObject)
                    {
                        return ($"'input[{i}]' must be an object: a message, a function call or a function call's output.", $"input[{i}]");
                    }
                }

                return null;
            default:
                return ("'input' is required: a string, or a non-empty array of items (messages, function calls and their outputs).", "input");
        }
    }

    private static (string, string)? Messages(JsonObject body, GatewayFormat format)
    {
        var anthropic = format == GatewayFormat.Anthropic;
        if (body["messages"] is not JsonArray messages)
        {
            return (anthropic ? "messages: Field required (an array of messages)" : "'messages' is required: an array of messages, each with a 'role'.", "messages");
        }

        if (messages.Count == 0)
        {
            return (anthropic ? "messages: at least one message is required" : "'messages' must hold at least one message.", "messages");
        }

        if (messages.Count > GatewayOptions.MaxMessages)
        {
            return ($"A request may carry at most {GatewayOptions.MaxMessages} messages; this one has {messages.Count}.", "messages");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue role || !role.TryGetValue(out string? _))
            {
                return (anthropic ? $"messages.{i}: each message must be an object with a 'role'" : $"'messages[{i}]' must be an object with a 'role'.", $"messages[{i}]");
            }
        }

        return null;
    }

    private static (string, string)? Input(JsonObject body) => body["input"] switch
    {
        JsonValue one when one.TryGetValue(out string? _) => null,
        JsonArray { Count: > 0 } => null,
        _ => ("'input' is required: a string or a non-empty array of strings or tokens.", "input"),
    };
}
