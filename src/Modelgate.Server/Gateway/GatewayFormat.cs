using System.Text.Json;

namespace Modelgate.Server.Gateway;

/// <summary>The wire format a gateway caller speaks; errors are written in it.</summary>
internal enum GatewayFormat
{
    OpenAI,
    Anthropic,
}

/// <summary>Errors in the caller's format: OpenAI <c>{"error":{...}}</c> or Anthropic <c>{"type":"error","error":{...}}</c>.</summary>
internal static class GatewayErrors
{
    public static IResult Write(GatewayFormat format, int status, string message, string? param = null, string? code = null, TimeSpan? retryAfter = null) =>
        new ErrorResult(format, status, message, param, code, retryAfter);

    /// <summary>How errors name the model that failed.</summary>
    public static string Who(Core.Resolution.ResolvedModel resolved) => $"Provider '{resolved.Provider.Name}' (model '{resolved.Model.ModelId}')";

    /// <summary>The provider is at its configured requests_per_minute (429, to the caller or the next fallback).</summary>
    public static IResult AtRequestLimit(GatewayFormat format, Core.Resolution.ResolvedModel resolved, TimeSpan wait) =>
        Write(format, 429, $"{Who(resolved)} is at its configured limit of {resolved.Provider.Limits.RequestsPerMinute} requests per minute.", code: "rate_limit_exceeded", retryAfter: wait);

    /// <summary>The provider's circuit is open (503, to the caller or the next fallback).</summary>
    public static IResult CircuitOpen(GatewayFormat format, Core.Resolution.ResolvedModel resolved) =>
        Write(format, 503, $"{Who(resolved)} is failing repeatedly and is not being called for now.", code: "upstream_unavailable", retryAfter: TimeSpan.FromSeconds(15));

    /// <summary>Says which model and provider served the answer.</summary>
    public static void ServedBy(HttpContext context, Core.Resolution.ResolvedModel resolved)
    {
        context.Response.Headers["x-modelgate-model"] = resolved.Model.ModelId;
        context.Response.Headers["x-modelgate-provider"] = resolved.Provider.Name;
    }

    private static string OpenAIType(int status) => status switch
    {
        400 or 404 or 413 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "api_error",
    };

    private static string AnthropicType(int status) => status switch
    {
        400 or 413 => status == 413 ? "request_too_large" : "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        529 or 503 => "overloaded_error",
        _ => "api_error",
    };

    private sealed class ErrorResult(GatewayFormat format, int status, string message, string? param, string? code, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            if (retryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            object body = format == GatewayFormat.Anthropic
                ? new { type = "error", error = new { type = AnthropicType(status), message } }
                : new { error = new { message, type = OpenAIType(status), param, code } };
            return context.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Web);
        }
    }
}
