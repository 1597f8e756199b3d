using Modelgate.Core.Catalog;

namespace Modelgate.Server.Ui;

/// <summary>How the console names limits and writes a holder's limits in a list (limits in shadow mode marked so).</summary>
internal static class LimitText
{
    public static string Label(string name) => name switch
    {
        LimitNames.RequestsPerMinute => "Requests per minute",
        LimitNames.TokensPerMinute => "Tokens per minute",
        LimitNames.ConcurrentRequests => "Requests at once",
        LimitNames.Budget => "Budget",
        _ => name,
    };

    /// <summary>e.g. "60 req/min (shadow), 100,000 tokens/min, 4 at once", or "none".</summary>
    public static string Summary(int? requestsPerMinute, long? tokensPerMinute, int? concurrentRequests, IReadOnlyCollection<string> shadow)
    {
        var parts = new[]
        {
            (Value: requestsPerMinute, Unit: "req/min", Name: LimitNames.RequestsPerMinute),
            (Value: tokensPerMinute, Unit: "tokens/min", Name: LimitNames.TokensPerMinute),
            (Value: concurrentRequests, Unit: "at once", Name: LimitNames.ConcurrentRequests),
        }.Where(p => p.Value is not null).Select(p => $"{Format.Count(p.Value!.Value)} {p.Unit}{Shadow(shadow, p.Name)}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>" (shadow)" after a limit that is only counted, not enforced.</summary>
    public static string Shadow(IReadOnlyCollection<string> shadow, string name) => shadow.Contains(name) ? " (shadow)" : "";
}
