using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Modelgate.Testing.Upstreams;

/// <summary>
/// Anthropic's Messages API responses, JSON and the streaming event sequence message_start ... message_stop, and its
/// token count.
/// </summary>
internal static class AnthropicWire
{
    public static async Task WriteMessageAsync(HttpContext context, RecordedRequest request, (string Name, string ArgumentsJson)? toolCall)
    {
        var model = request.Model;
        var id = "msg_" + Guid.NewGuid().ToString("N")[..24];
        var text = FakeUpstream.Of(context)?.Reply ?? FakeUpstream.ReplyText(model);
        // Anthropic's input_tokens leave out the tokens read from the cache.
        var set = FakeUpstream.Of(context)?.Usage;
        var cacheRead = set?.Cached ?? 0;
        var inputTokens = set is { } given ? given.Prompt - given.Cached : WireText.PromptTokens(request.Body);
        var outputTokens = set?.Completion ?? WireText.Words(text);
        var wantTool = toolCall is not null && request.Body.TryGetProperty("tools", out _) && !WireText.EndsWithToolResult(request.Body);
        var stopReason = wantTool ? "tool_use" : "end_turn";
        object block = wantTool
            ? new { type = "tool_use", id = "toolu_" + id[^12..], name = toolCall!.Value.Name, input = JsonDocument.Parse(toolCall.Value.ArgumentsJson).RootElement }
            : new { type = "text", text };
        var stream = request.Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id, type = "message", role = "assistant", model, content = new[] { block }, stop_reason = stopReason, stop_sequence = (string?)null,
                usage = new { input_tokens = inputTokens, output_tokens = outputTokens, cache_creation_input_tokens = 0, cache_read_input_tokens = cacheRead },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var delay = FakeUpstream.Of(context)?.ChunkDelay ?? TimeSpan.Zero;
        async Task Send(string name, object data)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n");
            await context.Response.Body.FlushAsync();
        }

        await Send("message_start", new
        {
            type = "message_start",
            message = new { id, type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage = new { input_tokens = inputTokens, output_tokens = 1, cache_creation_input_tokens = 0, cache_read_input_tokens = cacheRead } },
        });
        if (wantTool)
        {
            await Send("content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "tool_use", id = "toolu_" + id[^12..], name = toolCall!.Value.Name, input = new { } } });
            await Send("content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "input_json_delta", partial_json = toolCall.Value.ArgumentsJson } });
        }
        else
        {
            await Send("content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } });
            await Send("ping", new { type = "ping" });
            foreach (var piece in WireText.Pieces(text))
            {
                await Send("content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = piece } });
            }
        }

        await Send("content_block_stop", new { type = "content_block_stop", index = 0 });
        await Send("message_delta", new { type = "message_delta", delta = new { stop_reason = stopReason, stop_sequence = (string?)null }, usage = new { output_tokens = outputTokens } });
        await Send("message_stop", new { type = "message_stop" });
    }

    // The fields count_tokens takes: a Messages request's prompt, without max_tokens, stream or sampling parameters.
    private static readonly HashSet<string> TokenCountFields =
        ["model", "messages", "system", "tools", "tool_choice", "thinking", "cache_control", "output_config", "output_format", "speed", "mcp_servers", "context_management"];

    /// <summary>
    /// <c>POST /v1/messages/count_tokens</c> as Anthropic answers it: <c>{"input_tokens": N}</c>, N being what
    /// <c>/v1/messages</c> reports for the same prompt; the version header is required, and a field it does not take
    /// (max_tokens, stream, temperature) is a 400 "Extra inputs are not permitted".
    /// </summary>
    public static async Task WriteTokenCountAsync(HttpContext context, RecordedRequest request)
    {
        string? problem = null;
        var extra = request.Body.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !TokenCountFields.Contains(name));
        if (request.AnthropicVersion is null)
        {
            problem = "anthropic-version: header is required";
        }
        else if (extra is not null)
        {
            problem = $"{extra}: Extra inputs are not permitted";
        }
        else if (!request.Body.TryGetProperty("model", out _) || !request.Body.TryGetProperty("messages", out _))
        {
            problem = $"{(request.Body.TryGetProperty("model", out _) ? "messages" : "model")}: Field required";
        }

        if (problem is not null)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { type = "error", error = new { type = "invalid_request_error", message = problem } });
            return;
        }

        // As /v1/messages would report for this prompt (the cache's reads left out).
        var set = FakeUpstream.Of(context)?.Usage;
        await context.Response.WriteAsJsonAsync(new { input_tokens = set is { } given ? given.Prompt - given.Cached : WireText.PromptTokens(request.Body) });
    }
}
