using System.Text.Json;

namespace Modelgate.Core.Providers;

/// <summary>
/// Ends a provider's error answer with a <see cref="ProviderErrorException"/> carrying its status and body, for an SDK
/// that loses both: OllamaSharp throws a bare "status code does not indicate success" for a 404 (Ollama's "model not
/// found, try pulling it first" is lost) and, for a 400, an exception without the status, which the pipeline cannot tell
/// from a fault of its own. The body is read within the call's own cancellation and at most <see cref="MaxChars"/> long.
/// </summary>
internal sealed class ProviderErrorBodies(string provider, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>The most characters of an error body kept.</summary>
    public const int MaxChars = 16 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadAsync(response, cancellationToken);
            var said = ErrorText(body) is { } text ? $": {(text.Length > 300 ? text[..300] + "..." : text)}" : "";
            throw new ProviderErrorException(response.StatusCode, body, $"{provider} answered HTTP {(int)response.StatusCode}{said}");
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            var buffer = new char[MaxChars];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            // A body cut at the limit may end inside a surrogate pair: the half is not text.
            if (read > 0 && char.IsHighSurrogate(buffer[read - 1]))
            {
                read--;
            }

            return new string(buffer, 0, read);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The status says enough; a body that cannot be read is no reason to lose it.
            return "";
        }
    }

    // Ollama's {"error": "..."}; anything else is left to whoever reads the body.
    private static string? ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or JSON whose strings are not text: nothing to quote, the status stays.
            return null;
        }
    }
}
