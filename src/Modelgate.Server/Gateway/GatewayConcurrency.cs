using Microsoft.AspNetCore.RateLimiting;

namespace Modelgate.Server.Gateway;

/// <summary>
/// At most <see cref="GatewayOptions.MaxConcurrentRequests"/> gateway requests in flight per instance (ASP.NET Core's
/// rate limiting middleware with a concurrency limiter, no queue): past it a caller gets 429 with Retry-After in its
/// own format at once, instead of the instance slowing down for everyone. The admin API is not limited.
/// </summary>
internal static class GatewayConcurrency
{
    public const string PolicyName = "gateway-concurrency";

    public static IServiceCollection AddGatewayConcurrency(this IServiceCollection services, GatewayOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddConcurrencyLimiter(PolicyName, o =>
            {
                o.PermitLimit = options.MaxConcurrentRequests;
                o.QueueLimit = 0;
            });
            limiter.OnRejected = (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var format = context.Request.Path.StartsWithSegments("/v1/messages") ? GatewayFormat.Anthropic : GatewayFormat.OpenAI;
                return new ValueTask(GatewayErrors.Write(format, 429, $"This Modelgate instance is serving its limit of {options.MaxConcurrentRequests} requests at once; retry shortly.", code: "gateway_busy", retryAfter: TimeSpan.FromSeconds(1)).ExecuteAsync(context));
            };
        });
}
