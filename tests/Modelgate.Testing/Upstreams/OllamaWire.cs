using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Modelgate.Testing.Upstreams;

/// <summary>Ollama's /api/chat (NDJSON when streaming) and /api/embed responses.</summary>
internal static class OllamaWire
{
    public static async Task WriteChatAsync(HttpContext context, RecordedRequest request)
    {
        var model = request.Model;
        var text = FakeUpstream.ReplyText(model);
        var created = DateTime.UtcNow.ToString("O");
        var stream = !request.Body.TryGetProperty("stream", out var s) || s.ValueKind != JsonValueKind.False;
        object Final(string content) => new
        {
            model, created_at = created, message = new { role = "assistant", content }, done = true, done_reason = "stop",
            total_duration = 1000, load_duration = 10, prompt_eval_count = WireText.PromptTokens(request.Body), prompt_eval_duration = 100,
            eval_count = WireText.Words(text), eval_duration = 500,
        };
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(Final(text));
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        foreach (var piece in WireText.Pieces(text))
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { model, created_at = created, message = new { role = "assistant", content = piece }, done = false }) + "\n");
            await context.Response.Body.FlushAsync();
        }

        await context.Response.WriteAsync(JsonSerializer.Serialize(Final("")) + "\n");
    }

    public static async Task WriteEmbedAsync(HttpContext context, RecordedRequest request)
    {
        var input = request.Body.GetProperty("input");
        var texts = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [input.GetString() ?? ""];
        await context.Response.WriteAsJsonAsync(new { model = request.Model, embeddings = texts.Select(t => FakeUpstream.VectorFor(t, 8)).ToArray(), total_duration = 1000, load_duration = 10, prompt_eval_count = texts.Count });
    }
}
