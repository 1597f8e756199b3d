using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Modelgate.Testing.Upstreams;

/// <summary>
/// The providers' model listings, as their APIs send them: OpenAI's and Anthropic's <c>GET /v1/models</c> (told apart
/// by the <c>anthropic-version</c> header every Anthropic client sends) and Ollama's <c>GET /api/tags</c>; and each
/// API's answer to a wrong key.
/// </summary>
internal static class ModelListWire
{
    public static bool IsAnthropic(HttpRequest request) => request.Headers.ContainsKey("anthropic-version");

    public static Task WriteOpenAIAsync(HttpContext context, IReadOnlyList<string> models) => context.Response.WriteAsJsonAsync(new
    {
        @object = "list",
        data = models.Select(id => new { id, @object = "model", created = 1_721_172_741, owned_by = "system" }),
    });

    public static Task WriteAnthropicAsync(HttpContext context, IReadOnlyList<string> models) => context.Response.WriteAsJsonAsync(new
    {
        data = models.Select(id => new { type = "model", id, display_name = id, created_at = "2025-09-29T00:00:00Z" }),
        has_more = false,
        first_id = models.FirstOrDefault(),
        last_id = models.LastOrDefault(),
    });

    public static Task WriteOllamaAsync(HttpContext context, IReadOnlyList<string> models) => context.Response.WriteAsJsonAsync(new
    {
        models = models.Select(name => new
        {
            name,
            model = name,
            modified_at = "2025-05-01T10:00:00.000000000Z",
            size = 2_019_393_189L,
            digest = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
            details = new { parent_model = "", format = "gguf", family = "llama", families = new[] { "llama" }, parameter_size = "3.2B", quantization_level = "Q4_K_M" },
        }),
    });

    /// <summary>401 in the API's own error shape; OpenAI's message quotes part of the key, as the real one does.</summary>
    public static async Task WriteWrongKeyAsync(HttpContext context, string? presented, string format)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "application/json";
        object body = format switch
        {
            "anthropic" => new { type = "error", error = new { type = "authentication_error", message = "invalid x-api-key" } },
            "ollama" => new { error = "unauthorized" },
            _ => new { error = new { message = $"Incorrect API key provided: {presented}. You can find your API key at https://platform.openai.com/account/api-keys.", type = "invalid_request_error", param = (string?)null, code = "invalid_api_key" } },
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
