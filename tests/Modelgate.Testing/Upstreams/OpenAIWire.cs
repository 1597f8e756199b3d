using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Modelgate.Testing.Upstreams;

/// <summary>OpenAI's chat completion and embedding responses, as api.openai.com sends them.</summary>
internal static class OpenAIWire
{
    public static async Task WriteChatAsync(HttpContext context, RecordedRequest request, (string Name, string ArgumentsJson)? toolCall)
    {
        var model = request.Model;
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var text = FakeUpstream.Of(context)?.Reply ?? FakeUpstream.ReplyText(model);
        var set = FakeUpstream.Of(context)?.Usage;
        var promptTokens = set?.Prompt ?? WireText.PromptTokens(request.Body);
        var completionTokens = set?.Completion ?? WireText.Words(text);
        var usage = new
        {
            prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens,
            prompt_tokens_details = new { cached_tokens = set?.Cached ?? 0, audio_tokens = 0 },
            completion_tokens_details = new { reasoning_tokens = 0, audio_tokens = 0, accepted_prediction_tokens = 0, rejected_prediction_tokens = 0 },
        };
        var stream = request.Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        // A model answers the tool's result with text rather than calling it again.
        var wantTool = toolCall is not null && request.Body.TryGetProperty("tools", out _) && !WireText.EndsWithToolResult(request.Body);
        if (!stream)
        {
            object message = wantTool
                ? new { role = "assistant", content = (string?)null, refusal = (string?)null, tool_calls = new[] { new { id = "call_" + id[^8..], type = "function", function = new { name = toolCall!.Value.Name, arguments = toolCall.Value.ArgumentsJson } } } }
                : new { role = "assistant", content = text, refusal = (string?)null };
            await context.Response.WriteAsJsonAsync(new
            {
                id, @object = "chat.completion", created, model,
                choices = new[] { new { index = 0, message, logprobs = (object?)null, finish_reason = wantTool ? "tool_calls" : "stop" } },
                usage, system_fingerprint = "fp_fake",
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var delay = ((FakeUpstream)context.RequestServices.GetService(typeof(FakeUpstream))!)?.ChunkDelay ?? TimeSpan.Zero;
        async Task Send(object chunk)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        object Chunk(object delta, string? finish) => new { id, @object = "chat.completion.chunk", created, model, system_fingerprint = "fp_fake", choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finish } } };
        await Send(Chunk(new { role = "assistant", content = "", refusal = (string?)null }, null));
        if (wantTool)
        {
            await Send(Chunk(new { tool_calls = new[] { new { index = 0, id = "call_" + id[^8..], type = "function", function = new { name = toolCall!.Value.Name, arguments = "" } } } }, null));
            await Send(Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = toolCall.Value.ArgumentsJson } } } }, null));
        }
        else
        {
            foreach (var piece in WireText.Pieces(text))
            {
                await Send(Chunk(new { content = piece }, null));
            }
        }

        await Send(Chunk(new { }, wantTool ? "tool_calls" : "stop"));
        if (request.Body.TryGetProperty("stream_options", out var o) && o.TryGetProperty("include_usage", out var u) && u.ValueKind == JsonValueKind.True)
        {
            await Send(new { id, @object = "chat.completion.chunk", created, model, system_fingerprint = "fp_fake", choices = Array.Empty<object>(), usage });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    public static async Task WriteEmbeddingsAsync(HttpContext context, RecordedRequest request)
    {
        var inputs = request.Body.GetProperty("input") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [request.Body.GetProperty("input").GetString() ?? ""];
        var dimensions = request.Body.TryGetProperty("dimensions", out var d) ? d.GetInt32() : 8;
        var base64 = request.Body.TryGetProperty("encoding_format", out var f) && f.GetString() == "base64";
        var tokens = inputs.Sum(WireText.Words);
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            data = inputs.Select((text, i) =>
            {
                var vector = FakeUpstream.VectorFor(text, dimensions);
                object embedding = base64 ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray()) : vector;
                return new { @object = "embedding", index = i, embedding };
            }).ToArray(),
            model = request.Model,
            usage = new { prompt_tokens = tokens, total_tokens = tokens },
        });
    }
}

/// <summary>Deterministic token counts and streaming pieces for the fakes.</summary>
internal static class WireText
{
    public static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Whether the conversation's last message is a tool's result (chat's role "tool", Anthropic's tool_result block).</summary>
    public static bool EndsWithToolResult(JsonElement body)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return false;
        }

        var last = messages[messages.GetArrayLength() - 1];
        return (last.TryGetProperty("role", out var role) && role.GetString() == "tool")
            || (last.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
                && content.EnumerateArray().Any(b => b.TryGetProperty("type", out var t) && t.GetString() == "tool_result"));
    }

    public static IEnumerable<string> Pieces(string text) => text.Split(' ').Select((w, i) => i == 0 ? w : " " + w);

    /// <summary>A quarter of the characters of the chat messages, or of a Responses request's instructions and input.</summary>
    public static int PromptTokens(JsonElement body) =>
        body.TryGetProperty("messages", out var messages) ? Math.Max(1, messages.ToString().Length / 4)
        : body.TryGetProperty("input", out var input)
            ? Math.Max(1, (input.ToString().Length + (body.TryGetProperty("instructions", out var i) ? i.ToString().Length : 0)) / 4)
        : 1;
}
