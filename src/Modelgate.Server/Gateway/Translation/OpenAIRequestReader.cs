using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Reads an OpenAI chat completion request into Microsoft.Extensions.AI's canonical messages and options, so it can
/// be sent to a provider of another format: roles, text and image parts, tool calls and results, tools and
/// tool_choice, sampling parameters, stop, seed and response_format.
/// </summary>
internal static class OpenAIRequestReader
{
    public static (List<ChatMessage> Messages, ChatOptions Options, string? Error) Read(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return ([], new ChatOptions(), "'messages' must be a non-empty array");
        }

        if (body["n"] is JsonValue n && n.TryGetValue(out int count) && count != 1)
        {
            return ([], new ChatOptions(), "'n' other than 1 is not supported for this model's provider");
        }

        var result = new List<ChatMessage>();
        foreach (var node in messages)
        {
            if (node is not JsonObject message || Message(message) is not { } chat)
            {
                return ([], new ChatOptions(), "each message needs a 'role' of system, developer, user, assistant or tool");
            }

            result.Add(chat);
        }

        return (result, Options(body), null);
    }

    private static ChatMessage? Message(JsonObject message)
    {
        var role = message["role"]?.GetValue<string>();
        switch (role)
        {
            case "system" or "developer":
                return new ChatMessage(ChatRole.System, Text(message["content"]));
            case "user":
                return new ChatMessage(ChatRole.User, Parts(message["content"]));
            case "assistant":
                var contents = new List<AIContent>();
                if (Text(message["content"]) is { Length: > 0 } text)
                {
                    contents.Add(new TextContent(text));
                }

                foreach (var call in message["tool_calls"]?.AsArray() ?? [])
                {
                    var function = call!["function"]!;
                    var arguments = function["arguments"]?.GetValue<string>() is { Length: > 0 } json
                        ? JsonSerializer.Deserialize<Dictionary<string, object?>>(json)
                        : [];
                    contents.Add(new FunctionCallContent(call["id"]!.GetValue<string>(), function["name"]!.GetValue<string>(), arguments));
                }

                return new ChatMessage(ChatRole.Assistant, contents);
            case "tool":
                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message["tool_call_id"]?.GetValue<string>() ?? "", Text(message["content"]))]);
            default:
                return null;
        }
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text ?? "",
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    private static List<AIContent> Parts(JsonNode? content)
    {
        if (content is not JsonArray parts)
        {
            return [new TextContent(Text(content))];
        }

        var result = new List<AIContent>();
        foreach (var part in parts)
        {
            switch (part?["type"]?.GetValue<string>())
            {
                case "text":
                    result.Add(new TextContent(part["text"]?.GetValue<string>() ?? ""));
                    break;
                case "image_url":
                    var url = part["image_url"]?["url"]?.GetValue<string>() ?? "";
                    result.Add(url.StartsWith("data:", StringComparison.Ordinal) ? new DataContent(url) : new UriContent(new Uri(url), "image/*"));
                    break;
            }
        }

        return result;
    }

    private static ChatOptions Options(JsonObject body)
    {
        var options = new ChatOptions
        {
            Temperature = Number(body["temperature"]),
            TopP = Number(body["top_p"]),
            MaxOutputTokens = (int?)Number(body["max_completion_tokens"] ?? body["max_tokens"]),
            Seed = (long?)Number(body["seed"]),
            FrequencyPenalty = Number(body["frequency_penalty"]),
            PresencePenalty = Number(body["presence_penalty"]),
        };
        options.StopSequences = body["stop"] switch
        {
            JsonValue single when single.TryGetValue(out string? stop) => [stop!],
            JsonArray many => [.. many.Select(s => s!.GetValue<string>())],
            _ => null,
        };
        if (body["tools"] is JsonArray tools)
        {
            options.Tools = [.. tools.Select(t => t!["function"]!).Select(f => (AITool)AIFunctionFactory.CreateDeclaration(
                f["name"]!.GetValue<string>(), f["description"]?.GetValue<string>(), JsonSerializer.SerializeToElement(f["parameters"] ?? new JsonObject { ["type"] = "object" })))];
        }

        options.ToolMode = body["tool_choice"] switch
        {
            JsonValue v when v.TryGetValue(out string? mode) => mode switch { "none" => ChatToolMode.None, "required" => ChatToolMode.RequireAny, _ => ChatToolMode.Auto },
            JsonObject o when o["function"]?["name"]?.GetValue<string>() is { } name => ChatToolMode.RequireSpecific(name),
            _ => null,
        };
        options.ResponseFormat = body["response_format"]?["type"]?.GetValue<string>() switch
        {
            "json_object" => ChatResponseFormat.Json,
            "json_schema" when body["response_format"]!["json_schema"] is { } schema => ChatResponseFormat.ForJsonSchema(
                JsonSerializer.SerializeToElement(schema["schema"]), schema["name"]?.GetValue<string>(), schema["description"]?.GetValue<string>()),
            _ => null,
        };
        return options;
    }

    private static float? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue(out double number) ? (float)number : null;
}
