using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Reads an Anthropic Messages request into Microsoft.Extensions.AI's canonical messages and options: system,
/// text and image blocks, tool_use and tool_result blocks, tools and tool_choice, max_tokens, sampling and stop sequences.
/// </summary>
internal static class AnthropicRequestReader
{
    public static (List<ChatMessage> Messages, ChatOptions Options, string? Error) Read(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return ([], new ChatOptions(), "messages: Field required (a non-empty array)");
        }

        var result = new List<ChatMessage>();
        if (Text(body["system"]) is { Length: > 0 } system)
        {
            result.Add(new ChatMessage(ChatRole.System, system));
        }

        foreach (var node in messages)
        {
            var role = node?["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant"))
            {
                return ([], new ChatOptions(), "messages: each message needs a role of 'user' or 'assistant'");
            }

            var contents = Blocks(node!["content"]);
            // Tool results travel in their own tool-role message in the canonical model.
            var results = contents.OfType<FunctionResultContent>().ToList();
            if (results.Count > 0)
            {
                result.Add(new ChatMessage(ChatRole.Tool, [.. results]));
            }

            var rest = contents.Where(c => c is not FunctionResultContent).ToList();
            if (rest.Count > 0)
            {
                result.Add(new ChatMessage(role == "user" ? ChatRole.User : ChatRole.Assistant, rest));
            }
        }

        return (result, Options(body), null);
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text ?? "",
        JsonArray blocks => string.Join("\n", blocks.Select(b => b?["text"]?.GetValue<string>()).Where(t => t is not null)),
        _ => "",
    };

    private static List<AIContent> Blocks(JsonNode? content)
    {
        if (content is not JsonArray blocks)
        {
            return [new TextContent(Text(content))];
        }

        var result = new List<AIContent>();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch (block["type"]?.GetValue<string>())
            {
                case "text":
                    result.Add(new TextContent(block["text"]?.GetValue<string>() ?? ""));
                    break;
                case "image" when block["source"] is JsonObject source:
                    result.Add(source["type"]?.GetValue<string>() == "base64"
                        ? new DataContent(Convert.FromBase64String(source["data"]?.GetValue<string>() ?? ""), source["media_type"]?.GetValue<string>() ?? "image/png")
                        : new UriContent(new Uri(source["url"]?.GetValue<string>() ?? ""), "image/*"));
                    break;
                case "tool_use":
                    result.Add(new FunctionCallContent(block["id"]?.GetValue<string>() ?? "", block["name"]?.GetValue<string>() ?? "",
                        JsonSerializer.Deserialize<Dictionary<string, object?>>(block["input"]?.ToJsonString() ?? "{}")));
                    break;
                case "tool_result":
                    result.Add(new FunctionResultContent(block["tool_use_id"]?.GetValue<string>() ?? "", Text(block["content"])));
                    break;
            }
        }

        return result;
    }

    private static ChatOptions Options(JsonObject body)
    {
        var options = new ChatOptions
        {
            MaxOutputTokens = body["max_tokens"] is JsonValue m && m.TryGetValue(out int max) ? max : null,
            Temperature = body["temperature"] is JsonValue t && t.TryGetValue(out double temperature) ? (float)temperature : null,
            TopP = body["top_p"] is JsonValue p && p.TryGetValue(out double topP) ? (float)topP : null,
            TopK = body["top_k"] is JsonValue k && k.TryGetValue(out int topK) ? topK : null,
            StopSequences = body["stop_sequences"] is JsonArray stops ? [.. stops.Select(s => s!.GetValue<string>())] : null,
        };
        if (body["tools"] is JsonArray tools)
        {
            options.Tools = [.. tools.OfType<JsonObject>().Select(t => (AITool)AIFunctionFactory.CreateDeclaration(
                t["name"]?.GetValue<string>() ?? "", t["description"]?.GetValue<string>(), JsonSerializer.SerializeToElement(t["input_schema"] ?? new JsonObject { ["type"] = "object" })))];
        }

        options.ToolMode = body["tool_choice"]?["type"]?.GetValue<string>() switch
        {
            "any" => ChatToolMode.RequireAny,
            "none" => ChatToolMode.None,
            "tool" when body["tool_choice"]!["name"]?.GetValue<string>() is { } name => ChatToolMode.RequireSpecific(name),
            "auto" => ChatToolMode.Auto,
            _ => null,
        };
        return options;
    }
}
