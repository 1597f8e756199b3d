using System.Text.Json;
using System.Text.Json.Nodes;

namespace Modelgate.Testing.Upstreams;

/// <summary>
/// One answer of the fake Responses API: the response object in each state, its output item (a message, or a
/// function call when the request has tools and the fake is told to call one), and the stream's events in order.
/// </summary>
internal sealed class ResponsesAnswer
{
    private readonly JsonElement _body;
    private readonly string _model;
    private readonly string _text;
    private readonly (string Name, string ArgumentsJson)? _tool;
    private readonly (int Input, int Output, int Cached) _usage;
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private readonly string _id;
    private readonly string _itemId;
    private readonly string _callId = "call_" + Hex(24);

    public ResponsesAnswer(RecordedRequest request, FakeUpstream fake, (string Name, string ArgumentsJson)? toolCall)
    {
        _body = request.Body;
        _model = request.Model ?? "";
        _text = fake.Reply ?? FakeUpstream.ReplyText(request.Model);
        _tool = toolCall is not null && CallsTool(_body) ? toolCall : null;
        _id = "resp_" + Hex(50);
        _itemId = (_tool is null ? "msg_" : "fc_") + Hex(50);
        var set = fake.Usage;
        _usage = (set?.Prompt ?? WireText.PromptTokens(_body), set?.Completion ?? WireText.Words(_text), set?.Cached ?? 0);
        // api.openai.com keeps responses (and their items) unless told store: false.
        if (!(_body.TryGetProperty("store", out var store) && store.ValueKind == JsonValueKind.False))
        {
            fake.StoredResponses[_id] = true;
            fake.StoredResponses[_itemId] = true;
        }
    }

    /// <summary>A canned text answer with fixed ids, for faults that write a stream by hand.</summary>
    public ResponsesAnswer(string model, string text)
    {
        _body = JsonDocument.Parse("{}").RootElement;
        _model = model;
        _text = text;
        _id = "resp_fault";
        _itemId = "msg_fault";
        _usage = (1, WireText.Words(text), 0);
    }

    public JsonObject Response(string status, JsonArray? output, JsonObject? usage) => new()
    {
        ["id"] = _id,
        ["object"] = "response",
        ["created_at"] = _created,
        ["status"] = status,
        ["background"] = false,
        ["completed_at"] = status == "completed" ? DateTimeOffset.UtcNow.ToUnixTimeSeconds() : null,
        ["error"] = null,
        ["incomplete_details"] = null,
        ["instructions"] = Echo("instructions", null),
        ["max_output_tokens"] = Echo("max_output_tokens", null),
        ["max_tool_calls"] = Echo("max_tool_calls", null),
        ["model"] = _model,
        ["output"] = output ?? [Item(done: true)],
        ["parallel_tool_calls"] = Echo("parallel_tool_calls", true),
        ["previous_response_id"] = Echo("previous_response_id", null),
        ["prompt_cache_key"] = Echo("prompt_cache_key", null),
        ["prompt_cache_retention"] = Echo("prompt_cache_retention", null),
        ["reasoning"] = Echo("reasoning", new JsonObject { ["effort"] = null, ["summary"] = null }),
        ["safety_identifier"] = Echo("safety_identifier", null),
        ["service_tier"] = "default",
        ["store"] = Echo("store", true),
        ["temperature"] = Echo("temperature", 1.0),
        ["text"] = Echo("text", new JsonObject { ["format"] = new JsonObject { ["type"] = "text" }, ["verbosity"] = "medium" }),
        ["tool_choice"] = Echo("tool_choice", "auto"),
        ["tools"] = Echo("tools", new JsonArray()),
        ["top_logprobs"] = Echo("top_logprobs", 0),
        ["top_p"] = Echo("top_p", 1.0),
        ["truncation"] = Echo("truncation", "disabled"),
        ["usage"] = usage,
        ["user"] = Echo("user", null),
        ["metadata"] = Echo("metadata", new JsonObject()),
    };

    /// <summary>OpenAI's usage: input_tokens include the cached ones.</summary>
    public JsonObject Usage() => new()
    {
        ["input_tokens"] = _usage.Input,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = _usage.Cached },
        ["output_tokens"] = _usage.Output,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
        ["total_tokens"] = _usage.Input + _usage.Output,
    };

    public JsonObject Item(bool done) => _tool is { } tool
        ? new()
        {
            ["id"] = _itemId, ["type"] = "function_call", ["status"] = done ? "completed" : "in_progress",
            ["arguments"] = done ? tool.ArgumentsJson : "", ["call_id"] = _callId, ["name"] = tool.Name,
        }
        : new()
        {
            ["id"] = _itemId, ["type"] = "message", ["status"] = done ? "completed" : "in_progress",
            ["content"] = done ? new JsonArray(OutputText(_text)) : [], ["role"] = "assistant",
        };

    /// <summary>The stream, event by event (type and data without the type and sequence number).</summary>
    public IEnumerable<(string Type, JsonObject Data)> Events()
    {
        yield return ("response.created", new() { ["response"] = Response("in_progress", [], null) });
        yield return ("response.in_progress", new() { ["response"] = Response("in_progress", [], null) });
        yield return ("response.output_item.added", new() { ["output_index"] = 0, ["item"] = Item(done: false) });
        if (_tool is { } tool)
        {
            var arguments = tool.ArgumentsJson;
            foreach (var piece in new[] { arguments[..(arguments.Length / 2)], arguments[(arguments.Length / 2)..] })
            {
                yield return ("response.function_call_arguments.delta", Routed(new() { ["delta"] = piece, ["obfuscation"] = Hex(6) }));
            }

            yield return ("response.function_call_arguments.done", Routed(new() { ["name"] = tool.Name, ["arguments"] = arguments }));
        }
        else
        {
            yield return ("response.content_part.added", Routed(new() { ["content_index"] = 0, ["part"] = OutputText("") }));
            foreach (var piece in WireText.Pieces(_text))
            {
                yield return ("response.output_text.delta", Routed(new()
                {
                    ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = new JsonArray(), ["obfuscation"] = Hex(6),
                }));
            }

            yield return ("response.output_text.done", Routed(new() { ["content_index"] = 0, ["text"] = _text, ["logprobs"] = new JsonArray() }));
            yield return ("response.content_part.done", Routed(new() { ["content_index"] = 0, ["part"] = OutputText(_text) }));
        }

        yield return ("response.output_item.done", new() { ["output_index"] = 0, ["item"] = Item(done: true) });
        yield return ("response.completed", new() { ["response"] = Response("completed", [Item(done: true)], Usage()) });
    }

    // A model answers the tool's result with text rather than calling it again.
    private static bool CallsTool(JsonElement body) =>
        body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0
        && !(body.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0
            && input[input.GetArrayLength() - 1].TryGetProperty("type", out var type) && type.GetString() == "function_call_output");

    private JsonObject Routed(JsonObject data)
    {
        var routed = new JsonObject { ["item_id"] = _itemId, ["output_index"] = 0 };
        foreach (var (name, value) in data.ToList())
        {
            data.Remove(name);
            routed[name] = value;
        }

        return routed;
    }

    private static JsonObject OutputText(string text) =>
        new() { ["type"] = "output_text", ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(), ["text"] = text };

    private JsonNode? Echo(string name, JsonNode? otherwise) =>
        _body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? JsonNode.Parse(value.GetRawText()) : otherwise;

    private static string Hex(int length) => string.Concat(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"))[..length];
}
