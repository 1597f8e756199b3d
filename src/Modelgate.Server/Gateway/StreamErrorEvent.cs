using System.Text.Json;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The event that ends a stream which failed after its first byte, in the caller's format: OpenAI's
/// <c>data: {"error":…}</c>, Anthropic's <c>event: error</c>, the Responses API's <c>event: error</c>. SDKs raise
/// each as an API error. Written on an event boundary, so the caller's parser reads it whole.
/// </summary>
internal static class StreamErrorEvent
{
    /// <summary>The event's text; <paramref name="sequence"/> is the Responses API's next <c>sequence_number</c>.</summary>
    public static string For(GatewayFormat format, string message, long sequence = 0) => format switch
    {
        GatewayFormat.Anthropic =>
            $"event: error\ndata: {JsonSerializer.Serialize(new { type = "error", error = new { type = "api_error", message } })}\n\n",
        // OpenAI has sent the error's fields at the top level and, later, nested under "error": SDKs read one or the other.
        GatewayFormat.Responses =>
            $"event: error\ndata: {JsonSerializer.Serialize(new { type = "error", code = Code, message, param = (string?)null, sequence_number = sequence, error = new { type = "api_error", code = Code, message, param = (string?)null } })}\n\n",
        _ => $"data: {JsonSerializer.Serialize(new { error = new { message, type = "api_error", param = (string?)null, code = Code } })}\n\n",
    };

    private const string Code = "upstream_error";
}
