using System.Text.Json;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Sends a request to the provider and relays the answer: success streams through as it arrives; failures become
/// errors in the caller's format (429 keeps Retry-After, 5xx becomes 502, no answer 502/504), never the provider's
/// key or a stack trace.
/// </summary>
internal static partial class UpstreamResponse
{
    private static readonly string[] RelayedHeaders = ["Content-Type", "Cache-Control", "x-request-id", "openai-processing-ms", "request-id"];

    public static async Task RelayAsync(HttpContext context, HttpMessageInvoker upstream, HttpRequestMessage message, ResolvedModel resolved, GatewayFormat format)
    {
        HttpResponseMessage response;
        try
        {
            response = await upstream.SendAsync(message, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var timedOut = e is OperationCanceledException;
            await GatewayErrors.Write(format, timedOut ? 504 : 502,
                $"Provider '{resolved.Provider.Name}' could not be reached for model '{resolved.Model.ModelId}'{(timedOut ? " in time" : "")}.").ExecuteAsync(context);
            return;
        }

        using (response)
        {
            context.Response.Headers["x-modelgate-model"] = resolved.Model.ModelId;
            context.Response.Headers["x-modelgate-provider"] = resolved.Provider.Name;
            if (!response.IsSuccessStatusCode)
            {
                await RelayFailureAsync(context, response, resolved, format);
                return;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in RelayedHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            int read;
            try
            {
                // Each chunk goes to the caller as it arrives (SSE needs it), never the whole answer at once.
                while ((read = await stream.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The caller left: disposing the response closes the upstream request.
            }
        }
    }

    private static async Task RelayFailureAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format)
    {
        var status = (int)response.StatusCode;
        var text = await ReadBoundedAsync(response, context.RequestAborted);
        var upstreamMessage = Redact(MessageOf(text), resolved);
        var who = $"provider '{resolved.Provider.Name}' (model '{resolved.Model.ModelId}')";
        var result = status switch
        {
            429 => GatewayErrors.Write(format, 429, $"Rate limited by {who}: {upstreamMessage ?? "too many requests"}", code: "rate_limit_exceeded", retryAfter: response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)),
            >= 500 => GatewayErrors.Write(format, 502, $"{who} failed with HTTP {status}: {upstreamMessage ?? "no details"}", code: "upstream_error"),
            401 or 403 => GatewayErrors.Write(format, 502, $"{who} refused Modelgate's credentials (HTTP {status}); an administrator should check the provider's API key.", code: "upstream_auth_error"),
            _ => GatewayErrors.Write(format, status, upstreamMessage ?? $"{who} rejected the request (HTTP {status})."),
        };
        await result.ExecuteAsync(context);
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    // The provider's own message, from either wire format; an HTML page or garbage yields null.
    private static string? MessageOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message)
                ? Truncate(message.GetString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Providers echo credentials in error messages; none reaches the caller.
    private static string? Redact(string? message, ResolvedModel resolved)
    {
        if (message is null)
        {
            return null;
        }

        if (resolved.ApiKey is { Length: > 0 } key)
        {
            message = message.Replace(key, "[redacted]", StringComparison.Ordinal);
        }

        return KeyLike().Replace(message, "[redacted]");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(sk|mg|key)-[A-Za-z0-9_\-]{12,}")]
    private static partial System.Text.RegularExpressions.Regex KeyLike();

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] + "..." : text;
}
