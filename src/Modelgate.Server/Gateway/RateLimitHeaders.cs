using System.Globalization;
using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The rate-limit headers of a refusal, as the caller's own provider sends them, so SDKs that read them back off:
/// OpenAI's <c>x-ratelimit-limit-requests</c> / <c>-remaining-</c> / <c>-reset-</c> (a duration such as <c>6s</c>), or
/// Anthropic's <c>anthropic-ratelimit-requests-limit</c> / <c>-remaining</c> / <c>-reset</c> (an RFC 3339 time); the
/// tokens variants for a tokens-per-minute limit. Other limits (requests in flight, a budget) have no such header: their
/// Retry-After and message say it. <c>x-modelgate-limit</c> names the limit that refused, in every format.
/// </summary>
internal static class RateLimitHeaders
{
    public const string LimitHeader = "x-modelgate-limit";

    public static void Write(IHeaderDictionary headers, GatewayFormat format, LimitReachedException limited)
    {
        var bucket = limited.Bucket;
        var value = bucket.Kind == LimitKinds.Budget
            ? BudgetUnits.ToUsd(bucket.Limit).ToString("0.######", CultureInfo.InvariantCulture) + " USD"
            : bucket.Limit.ToString(CultureInfo.InvariantCulture);
        headers[LimitHeader] = $"{bucket.Scope.ToString().ToLowerInvariant()}; {LimitNames.Of(bucket.Kind)}={value}";
        var what = bucket.Kind switch
        {
            LimitKinds.RequestsPerMinute => "requests",
            LimitKinds.TokensPerMinute => "tokens",
            _ => null,
        };
        if (what is null)
        {
            return;
        }

        var limit = bucket.Limit.ToString(CultureInfo.InvariantCulture);
        var remaining = Math.Max(0, bucket.Limit - limited.Used).ToString(CultureInfo.InvariantCulture);
        if (format == GatewayFormat.Anthropic)
        {
            headers[$"anthropic-ratelimit-{what}-limit"] = limit;
            headers[$"anthropic-ratelimit-{what}-remaining"] = remaining;
            headers[$"anthropic-ratelimit-{what}-reset"] = (DateTimeOffset.UtcNow + limited.Wait).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        else
        {
            headers[$"x-ratelimit-limit-{what}"] = limit;
            headers[$"x-ratelimit-remaining-{what}"] = remaining;
            headers[$"x-ratelimit-reset-{what}"] = $"{Math.Ceiling(limited.Wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s";
        }
    }
}
