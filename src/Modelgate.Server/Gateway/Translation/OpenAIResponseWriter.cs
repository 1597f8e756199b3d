using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>Writes Microsoft.Extensions.AI responses as OpenAI chat completions (JSON, or SSE chunks ending in [DONE]).</summary>
internal static class OpenAIResponseWriter
{
    public static object Completion(ChatResponse response, string model) => new
    {
        id = "chatcmpl-" + (response.ResponseId ?? Guid.NewGuid().ToString("N")),
        @object = "chat.completion",
        created = (response.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        model,
        choices = new[]
        {
            new
            {
                index = 0,
                message = new
                {
                    role = "assistant",
                    content = response.Text is { Length: > 0 } text ? text : null,
                    tool_calls = ToolCalls(response.Messages.SelectMany(m => m.Contents)) is { Length: > 0 } calls ? calls : null,
                },
                logprobs = (object?)null,
                finish_reason = FinishReason(response.FinishReason),
            },
        },
        usage = Usage(response.Usage),
    };

    public static async Task StreamAsync(HttpContext context, IAsyncEnumerable<ChatResponseUpdate> updates, string model, bool includeUsage)
    {
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        async Task Send(object chunk)
        {
            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        object Chunk(object delta, string? finish) => new { id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finish } } };
        await Send(Chunk(new { role = "assistant", content = "" }, null));
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        var toolIndex = 0;
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
                            await Send(Chunk(new { content = text.Text }, null));
                            break;
                        case FunctionCallContent call:
                            await Send(Chunk(new { tool_calls = new[] { new { index = toolIndex++, id = call.CallId, type = "function", function = new { name = call.Name, arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>()) } } } }, null));
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
            // After the first byte nothing is retried: the stream ends with an error event in OpenAI's shape.
            await Send(new { error = new { message = UpstreamStreamException.MessageFor(context, e), type = "api_error", param = (string?)null, code = "upstream_error" } });
            return;
        }

        await Send(Chunk(new { }, FinishReason(finish ?? (toolIndex > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop))));
        if (includeUsage)
        {
            await Send(new { id, @object = "chat.completion.chunk", created, model, choices = Array.Empty<object>(), usage = Usage(usage) });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    private static object[] ToolCalls(IEnumerable<AIContent> contents) =>
        [.. contents.OfType<FunctionCallContent>().Select(c => new { id = c.CallId, type = "function", function = new { name = c.Name, arguments = JsonSerializer.Serialize(c.Arguments) } })];

    private static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ToolCalls ? "tool_calls"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : "stop";

    private static object Usage(UsageDetails? usage) => new
    {
        prompt_tokens = usage?.InputTokenCount ?? 0,
        completion_tokens = usage?.OutputTokenCount ?? 0,
        total_tokens = usage?.TotalTokenCount ?? ((usage?.InputTokenCount ?? 0) + (usage?.OutputTokenCount ?? 0)),
    };
}
