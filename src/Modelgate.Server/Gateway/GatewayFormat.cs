using System.Text.Json;
using Modelgate.Core.Limits;
using Modelgate.Core.Pipeline;

namespace Modelgate.Server.Gateway;

/// <summary>The wire format a gateway caller speaks; errors are written in it.</summary>
internal enum GatewayFormat
{
    /// <summary>OpenAI's chat completions and embeddings.</summary>
    OpenAI,

    /// <summary>Anthropic's Messages API.</summary>
    Anthropic,

    /// <summary>OpenAI's Responses API: OpenAI's errors, its own items and stream events.</summary>
    Responses,
}

/// <summary>Errors in the caller's format: OpenAI <c>{"error":{...}}</c> or Anthropic <c>{"type":"error","error":{...}}</c>.</summary>
internal static class GatewayErrors
{
    public static IResult Write(GatewayFormat format, int status, string message, string? param = null, string? code = null, TimeSpan? retryAfter = null) =>
        new ErrorResult(format, status, message, param, code, retryAfter, null);

    /// <summary>How errors name the model that failed.</summary>
    public static string Who(Core.Resolution.ResolvedModel resolved) => $"Provider '{resolved.Provider.Name}' (model '{resolved.Model.ModelId}')";

    /// <summary>
    /// A limit configured in Modelgate refused the call (429): which limit, its value and when to retry, in the message,
    /// Retry-After, and the caller's rate-limit headers (<see cref="RateLimitHeaders"/>).
    /// </summary>
    public static IResult AtLimit(GatewayFormat format, LimitReachedException limited) =>
        new ErrorResult(format, 429, limited.Message, null, limited.Code, limited.Wait, limited);

    /// <summary>A virtual key's refusal (<see cref="KeyAdmission"/>) in the caller's format.</summary>
    public static IResult Refused(GatewayFormat format, KeyRefusal refusal) =>
        Write(format, refusal.Status, refusal.Message, refusal.Param, refusal.Code, refusal.RetryAfter);

    /// <summary>The provider's circuit is open (503, to the caller or the next fallback).</summary>
    public static IResult CircuitOpen(GatewayFormat format, Core.Resolution.ResolvedModel resolved) =>
        Write(format, 503, $"{Who(resolved)} is failing repeatedly and is not being called for now.", code: "upstream_unavailable", retryAfter: TimeSpan.FromSeconds(15));

    /// <summary>
    /// A provider answered with an error status: 429 stays 429 (with its Retry-After), 5xx is a 502, the provider
    /// refusing Modelgate's own credentials is a 502 for the administrator, a 404 saying the model does not exist is a 502
    /// about the model, another 404 or a redirect is the provider's address (502), and any other 4xx is the caller's
    /// request (same status). The provider's own message is quoted when its body has one (<see cref="ProviderError"/>),
    /// redacted.
    /// </summary>
    public static IResult ProviderFailed(
        GatewayFormat format, Core.Resolution.ResolvedModel resolved, int status, string? providerBody = null, TimeSpan? retryAfter = null)
    {
        var who = Who(resolved);
        var read = ProviderError.Read(providerBody);
        var providerMessage = ProviderError.Redact(read.Message, resolved);
        var said = providerMessage is null ? "" : $": {providerMessage.TrimEnd('.', ' ')}";
        // Status and code are the pipeline's (the same in direct mode's usage records); the message is the gateway's.
        var (answer, code) = PipelineStatus.ForProviderStatus(status);
        var message = code switch
        {
            "rate_limit_exceeded" => $"Rate limited by {who}{said}.",
            "upstream_timeout" => $"{who} timed out (HTTP {status}){said}.",
            "upstream_auth_error" => $"{who} refused Modelgate's credentials (HTTP {status}); an administrator should check the provider's API key.",
            "upstream_rejected" => providerMessage ?? $"{who} rejected the request (HTTP {status}).",
            _ when status >= 500 => $"{who} failed with HTTP {status}{said}.",
            _ when ProviderError.IsModelNotFound(status, read, resolved) => $"{who} says the model does not exist{said}. "
                + "An administrator should check the model's model_id (the provider's own name for it) or make the model available at the provider.",
            _ => $"{who} answered HTTP {status}{said}; an administrator should check the provider's base_url.",
        };
        return Write(format, answer, message, code: code, retryAfter: answer == 429 ? retryAfter ?? TimeSpan.FromSeconds(1) : null);
    }

    /// <summary>The provider could not be reached (502, to the caller or the next fallback).</summary>
    public static IResult Unreachable(GatewayFormat format, Core.Resolution.ResolvedModel resolved) =>
        Write(format, 502, $"{Who(resolved)} could not be reached.", code: "upstream_error");

    /// <summary>The provider did not answer within the first-byte timeout (504, to the caller or the next fallback).</summary>
    public static IResult TimedOut(GatewayFormat format, Core.Resolution.ResolvedModel resolved) =>
        Write(format, 504, $"{Who(resolved)} did not answer in time.", code: "upstream_timeout");

    /// <summary>Says which model and provider served the answer.</summary>
    public static void ServedBy(HttpContext context, Core.Resolution.ResolvedModel resolved)
    {
        context.Response.Headers["x-modelgate-model"] = resolved.Model.ModelId;
        context.Response.Headers["x-modelgate-provider"] = resolved.Provider.Name;
    }

    private static string ErrorClassOf(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        413 => "request_too_large",
        429 => "rate_limited",
        _ => "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

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

    private sealed class ErrorResult(GatewayFormat format, int status, string message, string? param, string? code, TimeSpan? retryAfter, LimitReachedException? limited) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (Usage.GatewayCall.Of(context) is { } call)
            {
                call.ErrorClass ??= code ?? ErrorClassOf(status);
            }

            context.Response.StatusCode = status;
            if (retryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (limited is not null)
            {
                RateLimitHeaders.Write(context.Response.Headers, format, limited);
            }

            object body = format == GatewayFormat.Anthropic
                ? new { type = "error", error = new { type = AnthropicType(status), message } }
                : new { error = new { message, type = OpenAIType(status), param, code } };
            return context.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Web);
        }
    }
}
