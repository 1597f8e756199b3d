using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Reads an OpenAI Responses request into Microsoft.Extensions.AI's canonical messages and options, so it can be sent
/// to a provider that has no Responses API: <c>instructions</c>, <c>input</c> as a text or as items (messages with
/// text, image and file parts, function calls and their outputs; reasoning items are the model's own and are left
/// out), function tools and <c>tool_choice</c>, <c>max_output_tokens</c>, <c>temperature</c>, <c>top_p</c>,
/// <c>parallel_tool_calls</c> and <c>text.format</c>. What only OpenAI can do (its own tools, stored files) is refused
/// with a message that says so. Continuations (<c>previous_response_id</c>, <c>item_reference</c>) were replaced by the
/// items they stand for before (<see cref="ResponsesHistory"/>).
/// </summary>
internal static class ResponsesRequestReader
{
    public static (List<ChatMessage> Messages, ChatOptions Options, string? Error) Read(JsonObject body)
    {
        if (body["prompt"] is JsonObject)
        {
            return ([], new ChatOptions(), "prompt: stored prompt templates are kept by OpenAI, which this model's provider is not: send the instructions and input themselves");
        }

        var messages = new List<ChatMessage>();
        if (Text(body["instructions"]) is { Length: > 0 } instructions)
        {
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        if (body["input"] is JsonValue single && single.TryGetValue(out string? prompt))
        {
            messages.Add(new ChatMessage(ChatRole.User, prompt));
        }
        else
        {
            var items = body["input"]?.AsArray() ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                if (Item(items[i]!.AsObject(), messages) is { } problem)
                {
                    return ([], new ChatOptions(), $"input[{i}]: {problem}");
                }
            }
        }

        var (options, error) = Options(body);
        return error is null ? (messages, options, null) : ([], new ChatOptions(), error);
    }

    // Adds one input item to the conversation; an assistant's text and its function calls make one assistant message,
    // consecutive function call outputs one tool message (Anthropic needs each turn whole). Returns what is wrong, or null.
    private static string? Item(JsonObject item, List<ChatMessage> messages)
    {
        var type = item["type"]?.GetValue<string>() ?? (item.ContainsKey("role") ? "message" : null);
        switch (type)
        {
            case "message":
                var role = item["role"]?.GetValue<string>();
                var (contents, problem) = Parts(item["content"]);
                if (problem is not null)
                {
                    return problem;
                }

                switch (role)
                {
                    case "system" or "developer":
                        messages.Add(new ChatMessage(ChatRole.System, string.Concat(contents.OfType<TextContent>().Select(t => t.Text))));
                        return null;
                    case "user":
                        messages.Add(new ChatMessage(ChatRole.User, contents));
                        return null;
                    case "assistant":
                        var turn = Turn(messages, ChatRole.Assistant);
                        foreach (var part in contents)
                        {
                            turn.Contents.Add(part);
                        }

                        return null;
                    default:
                        return "a message needs a 'role' of user, assistant, system or developer";
                }

            case "function_call":
                var arguments = item["arguments"]?.GetValue<string>() is { Length: > 0 } json ? JsonSerializer.Deserialize<Dictionary<string, object?>>(json) : [];
                Turn(messages, ChatRole.Assistant).Contents.Add(
                    new FunctionCallContent(item["call_id"]?.GetValue<string>() ?? "", item["name"]?.GetValue<string>() ?? "", arguments));
                return null;
            case "function_call_output":
                Turn(messages, ChatRole.Tool).Contents.Add(new FunctionResultContent(item["call_id"]?.GetValue<string>() ?? "", Text(item["output"])));
                return null;
            case "reasoning":
                // The model's own reasoning (often encrypted for OpenAI alone): another provider cannot take it.
                return null;
            default:
                return $"an item of type '{type}' cannot be sent to this model's provider, which has no Responses API; it takes messages, function_call and function_call_output items";
        }
    }

    // The conversation's last message when it has this role (the same turn), else a new one.
    private static ChatMessage Turn(List<ChatMessage> messages, ChatRole role)
    {
        if (messages.Count > 0 && messages[^1].Role == role)
        {
            return messages[^1];
        }

        var message = new ChatMessage(role, (IList<AIContent>)[]);
        messages.Add(message);
        return message;
    }

    private static (List<AIContent> Contents, string? Problem) Parts(JsonNode? content)
    {
        if (content is not JsonArray parts)
        {
            return ([new TextContent(Text(content))], null);
        }

        var result = new List<AIContent>();
        foreach (var part in parts.OfType<JsonObject>())
        {
            var type = part["type"]?.GetValue<string>();
            switch (type)
            {
                case "input_text" or "output_text" or "text":
                    result.Add(new TextContent(part["text"]?.GetValue<string>() ?? ""));
                    break;
                case "refusal":
                    result.Add(new TextContent(part["refusal"]?.GetValue<string>() ?? ""));
                    break;
                case "input_image" when part["image_url"]?.GetValue<string>() is { Length: > 0 } url:
                    result.Add(url.StartsWith("data:", StringComparison.Ordinal) ? new DataContent(url) : new UriContent(new Uri(url), "image/*"));
                    break;
                case "input_file" when part["file_data"]?.GetValue<string>() is { Length: > 0 } data:
                    var file = data.StartsWith("data:", StringComparison.Ordinal)
                        ? new DataContent(data)
                        : new DataContent(Convert.FromBase64String(data), MediaTypeOf(part["filename"]?.GetValue<string>()));
                    file.Name = part["filename"]?.GetValue<string>();
                    result.Add(file);
                    break;
                case "input_file" when part["file_url"]?.GetValue<string>() is { Length: > 0 } url:
                    result.Add(new UriContent(new Uri(url), MediaTypeOf(url)));
                    break;
                case "input_image" or "input_file":
                    return ([], $"a {type} by file_id needs OpenAI's file storage, which this model's provider does not have: send it as {(type == "input_image" ? "image_url" : "file_data")} (a data: URL)");
                default:
                    return ([], $"a content part of type '{type}' cannot be sent to this model's provider; it takes input_text, input_image and input_file");
            }
        }

        return (result, null);
    }

    private static string MediaTypeOf(string? name) => Path.GetExtension(name ?? "").ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".txt" => "text/plain",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    };

    // A text, or the text parts of a content array (a function call's output may be either).
    private static string Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text ?? "",
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    private static (ChatOptions Options, string? Error) Options(JsonObject body)
    {
        var options = new ChatOptions
        {
            Temperature = Number(body["temperature"]),
            TopP = Number(body["top_p"]),
            MaxOutputTokens = (int?)Number(body["max_output_tokens"]),
            AllowMultipleToolCalls = body["parallel_tool_calls"] is JsonValue parallel && parallel.TryGetValue(out bool allow) ? allow : null,
        };
        if (body["tools"] is JsonArray tools)
        {
            var declared = new List<AITool>();
            foreach (var tool in tools.OfType<JsonObject>())
            {
                if (tool["type"]?.GetValue<string>() is var type && type != "function")
                {
                    return (options, $"tools: '{type}' is a tool OpenAI runs itself, which this model's provider cannot; only 'function' tools can be sent to it");
                }

                declared.Add(AIFunctionFactory.CreateDeclaration(tool["name"]?.GetValue<string>() ?? "", tool["description"]?.GetValue<string>(),
                    JsonSerializer.SerializeToElement(tool["parameters"] ?? new JsonObject { ["type"] = "object" })));
            }

            options.Tools = declared;
        }

        options.ToolMode = body["tool_choice"] switch
        {
            JsonValue v when v.TryGetValue(out string? mode) => mode switch { "none" => ChatToolMode.None, "required" => ChatToolMode.RequireAny, _ => ChatToolMode.Auto },
            JsonObject o when o["type"]?.GetValue<string>() == "function" && o["name"]?.GetValue<string>() is { } name => ChatToolMode.RequireSpecific(name),
            _ => null,
        };
        var format = body["text"]?["format"];
        options.ResponseFormat = format?["type"]?.GetValue<string>() switch
        {
            "json_object" => ChatResponseFormat.Json,
            "json_schema" => ChatResponseFormat.ForJsonSchema(
                JsonSerializer.SerializeToElement(format["schema"]), format["name"]?.GetValue<string>(), format["description"]?.GetValue<string>()),
            _ => null,
        };
        return (options, null);
    }

    private static float? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue(out double number) ? (float)number : null;
}
