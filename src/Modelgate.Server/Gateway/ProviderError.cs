using System.Text.Json;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// What a provider said when it failed — its message and error code, read from the error body in any of the shapes
/// providers use — whether the gateway relayed the answer or an SDK threw it. Messages are redacted before a caller
/// sees them: providers echo credentials in errors.
/// </summary>
internal static partial class ProviderError
{
    /// <summary>
    /// The message and code of an error body: OpenAI's <c>{"error":{"message","code"}}</c>, Anthropic's
    /// <c>{"type":"error","error":{"type","message"}}</c>, Ollama's <c>{"error":"..."}</c>, vLLM's top-level
    /// <c>{"message"}</c>, Gemini's array of one such error, or a short plain-text line (Ollama and Go servers answer so);
    /// an HTML page yields nothing. Never throws: it runs on the error path, where a throw would be a 500.
    /// </summary>
    public static (string? Message, string? Code) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                // Gemini wraps its error in an array: [{"error":{"code":404,"message":"models/x is not found…"}}].
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            if (root.TryGetProperty("error", out var error))
            {
                return error.ValueKind switch
                {
                    JsonValueKind.String => (error.GetString(), null),
                    JsonValueKind.Object => (String(error, "message"), String(error, "code") ?? String(error, "type")),
                    _ => (null, null),
                };
            }

            return (String(root, "message"), String(root, "code") ?? String(root, "type"));
        }
        catch (JsonException)
        {
            // A line of plain text is a message; a page of markup (a proxy's or a web server's) is not.
            var line = text.Trim();
            return line.Length <= 300 && !line.StartsWith('<') && !line.Contains('\n', StringComparison.Ordinal) ? (line, null) : (null, null);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // JSON whose strings are not text (an unpaired surrogate escaped): nothing to quote.
            return (null, null);
        }
    }

    /// <summary>The error body an SDK's exception kept (OpenAI's, Anthropic's, or Modelgate's own for OllamaSharp), or null.</summary>
    public static string? BodyOf(Exception error)
    {
        try
        {
            return Body(error);
        }
        catch (InvalidOperationException)
        {
            // An SDK that could not buffer the body (the connection broke while reading it): the status says enough.
            return null;
        }
    }

    private static string? Body(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Core.Providers.ProviderErrorException provider:
                    return provider.Body;
                case System.ClientModel.ClientResultException openAI when openAI.GetRawResponse() is { } response:
                    return response.Content?.ToString();
                case Anthropic.Exceptions.AnthropicServiceException anthropic when anthropic.Body.ValueKind != JsonValueKind.Undefined:
                    return anthropic.Body.GetRawText();
            }
        }

        return null;
    }

    /// <summary>
    /// A provider's 404 that says the model is unknown to it (OpenAI's and Groq's <c>model_not_found</c>, Azure's
    /// <c>DeploymentNotFound</c>, or a message naming the model: Anthropic's "model: x", Ollama's "model "x" not found",
    /// vLLM's and Gemini's) rather than an address where no API answers: a base_url problem says nothing of the model.
    /// </summary>
    public static bool IsModelNotFound(int status, (string? Message, string? Code) said, ResolvedModel resolved) =>
        status == 404 && (said.Code is "model_not_found" or "DeploymentNotFound"
            || said.Message?.Contains(resolved.Model.ModelId, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The message with the provider's key and anything key-like replaced, and at most 500 characters long.</summary>
    public static string? Redact(string? message, ResolvedModel resolved)
    {
        if (message is null)
        {
            return null;
        }

        if (resolved.ApiKey is { Length: > 0 } key)
        {
            message = message.Replace(key, "[redacted]", StringComparison.Ordinal);
        }

        message = KeyLike().Replace(message, "[redacted]");
        return message.Length > 500 ? message[..500] + "..." : message;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(sk|mg|key)-[A-Za-z0-9_\-]{12,}")]
    private static partial System.Text.RegularExpressions.Regex KeyLike();

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
