using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>Writes Microsoft.Extensions.AI responses as Anthropic messages (JSON, or the event sequence message_start ... message_stop).</summary>
internal static class AnthropicResponseWriter
{
    public static object Message(ChatResponse response, string model) => new
    {
        id = "msg_" + Guid.NewGuid().ToString("N")[..24],
        type = "message",
        role = "assistant",
        model,
        content = Blocks(response.Messages.SelectMany(m => m.Contents)),
        stop_reason = StopReason(response.FinishReason),
        stop_sequence = (string?)null,
        usage = new { input_tokens = response.Usage?.InputTokenCount ?? 0, output_tokens = response.Usage?.OutputTokenCount ?? 0 },
    };

    /// <summary>
    /// Writes the event sequence. The provider's token counts come only at the end of its stream (OpenAI-protocol
    /// providers, Ollama), so <c>message_start</c> carries <paramref name="inputEstimate"/>, the tokenizer's count of the
    /// prompt, and the final <c>message_delta</c> the provider's own input and output counts (Anthropic's SDKs take
    /// input_tokens from message_delta when it is there).
    /// </summary>
    public static async Task StreamAsync(HttpContext context, IAsyncEnumerable<ChatResponseUpdate> updates, string model, long inputEstimate)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        async Task Send(string name, object data)
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        var id = "msg_" + Guid.NewGuid().ToString("N")[..24];
        await Send("message_start", new
        {
            type = "message_start",
            message = new
            {
                id, type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null,
                usage = new { input_tokens = inputEstimate, output_tokens = 0 },
            },
        });
        var index = 0;
        var textOpen = false;
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        var sawTool = false;
        try
        {
            await foreach (var update in updates.WithCancellation(context.RequestAborted))
            {
                finish = update.FinishReason ?? finish;
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text:
                            if (!textOpen)
                            {
                                await Send("content_block_start", new { type = "content_block_start", index, content_block = new { type = "text", text = "" } });
                                textOpen = true;
                            }

                            await Send("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "text_delta", text = text.Text } });
                            break;
                        case FunctionCallContent call:
                            if (textOpen)
                            {
                                await Send("content_block_stop", new { type = "content_block_stop", index = index++ });
                                textOpen = false;
                            }

                            sawTool = true;
                            await Send("content_block_start", new { type = "content_block_start", index, content_block = new { type = "tool_use", id = call.CallId, name = call.Name, input = new { } } });
                            await Send("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>()) } });
                            await Send("content_block_stop", new { type = "content_block_stop", index = index++ });
                            break;
                        case UsageContent u:
                            usage = u.Details;
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // After the first byte nothing is retried: the stream ends with Anthropic's error event.
            await Send("error", new { type = "error", error = new { type = "api_error", message = UpstreamStreamException.MessageFor(context, e) } });
            return;
        }

        if (textOpen)
        {
            await Send("content_block_stop", new { type = "content_block_stop", index });
        }

        await Send("message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = StopReason(finish ?? (sawTool ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop)), stop_sequence = (string?)null },
            usage = usage?.InputTokenCount is { } input
                ? (object)new { input_tokens = input, output_tokens = usage.OutputTokenCount ?? 0 }
                : new { output_tokens = usage?.OutputTokenCount ?? 0 },
        });
        await Send("message_stop", new { type = "message_stop" });
    }

    private static object[] Blocks(IEnumerable<AIContent> contents) =>
        [.. contents.Select(c => c switch
        {
            TextContent { Text.Length: > 0 } text => (object?)new { type = "text", text = text.Text },
            FunctionCallContent call => new { type = "tool_use", id = call.CallId, name = call.Name, input = call.Arguments ?? new Dictionary<string, object?>() },
            _ => null,
        }).OfType<object>()];

    private static string StopReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "max_tokens"
        : reason == ChatFinishReason.ToolCalls ? "tool_use"
        : "end_turn";
}
