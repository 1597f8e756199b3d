using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Modelgate.Testing.Upstreams;

/// <summary>
/// OpenAI's Responses API (<c>POST /v1/responses</c>) as api.openai.com answers: the response object, or with
/// <c>stream: true</c> the named SSE events with sequence numbers from <c>response.created</c> to
/// <c>response.completed</c> (no <c>[DONE]</c>). Like the real API it refuses parameters it does not know and
/// references to responses or items it never stored.
/// </summary>
internal static class ResponsesWire
{
    // ResponseCreateParams of the openai npm package (7.60): anything else is "Unknown parameter".
    private static readonly HashSet<string> Parameters =
    [
        "access_programs", "background", "background_options", "context_management", "conversation", "image", "include",
        "input", "instructions", "max_output_tokens", "max_tool_calls", "metadata", "model", "moderation",
        "parallel_tool_calls", "previous_response_id", "prompt", "prompt_cache_key", "prompt_cache_options",
        "prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "store", "stream", "stream_options",
        "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user",
    ];

    public static async Task WriteResponseAsync(HttpContext context, RecordedRequest request, (string Name, string ArgumentsJson)? toolCall)
    {
        var fake = FakeUpstream.Of(context)!;
        if (Refusal(request.Body, fake) is { } refusal)
        {
            context.Response.StatusCode = refusal.Status;
            await context.Response.WriteAsJsonAsync(new { error = refusal.Error });
            return;
        }

        var answer = new ResponsesAnswer(request, fake, toolCall);
        var stream = request.Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (!stream)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Response("completed", [answer.Item(done: true)], answer.Usage()).ToJsonString());
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var events = new ResponsesEvents(context, fake.ChunkDelay);
        foreach (var (type, data) in answer.Events())
        {
            await events.SendAsync(type, data);
        }
    }

    /// <summary>A Responses stream's first events up to the first text delta, as a fault's opening.</summary>
    public static string FirstEvents()
    {
        var answer = new ResponsesAnswer("m", "Hello");
        return string.Concat(answer.Events().Take(5).Select((e, i) => ResponsesEvents.Format(e.Type, e.Data, i)));
    }

    /// <summary>One more text delta of <see cref="FirstEvents"/>'s message.</summary>
    public static string MoreText(int sequence) =>
        ResponsesEvents.Format("response.output_text.delta", new JsonObject
        {
            ["item_id"] = "msg_fault", ["output_index"] = 0, ["content_index"] = 0, ["delta"] = "more ", ["logprobs"] = new JsonArray(),
        }, sequence);

    /// <summary>A complete response saying this, with or without usage (as some OpenAI-compatible servers answer).</summary>
    public static string Complete(string text, bool withUsage)
    {
        var answer = new ResponsesAnswer("m", text);
        return answer.Response("completed", null, withUsage ? answer.Usage() : null).ToJsonString();
    }

    private static (int Status, object Error)? Refusal(JsonElement body, FakeUpstream fake)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!Parameters.Contains(property.Name))
            {
                return Invalid(400, $"Unknown parameter: '{property.Name}'.", property.Name, "unknown_parameter");
            }
        }

        if (body.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object)
        {
            foreach (var option in options.EnumerateObject().Where(o => o.Name != "include_obfuscation"))
            {
                return Invalid(400, $"Unknown parameter: 'stream_options.{option.Name}'.", $"stream_options.{option.Name}", "unknown_parameter");
            }
        }

        if (body.TryGetProperty("previous_response_id", out var previous) && previous.GetString() is { } id && !fake.StoredResponses.ContainsKey(id))
        {
            return Invalid(400, $"Previous response with id '{id}' not found.", "previous_response_id", "previous_response_not_found");
        }

        var references = body.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array
            ? input.EnumerateArray().Where(i => i.TryGetProperty("type", out var t) && t.GetString() == "item_reference")
            : [];
        foreach (var reference in references)
        {
            var item = reference.GetProperty("id").GetString()!;
            if (!fake.StoredResponses.ContainsKey(item))
            {
                return Invalid(404, $"Item with id '{item}' not found.", "input", null);
            }
        }

        return null;
    }

    private static (int, object) Invalid(int status, string message, string param, string? code) =>
        (status, new { message, type = "invalid_request_error", param, code });
}
