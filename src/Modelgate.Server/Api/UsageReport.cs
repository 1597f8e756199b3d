namespace Modelgate.Server.Api;

/// <summary>The answer of <c>GET /api/v1/usage</c>: one row per group, and the totals of all of them.</summary>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> GroupBy, IReadOnlyList<Dictionary<string, object?>> Groups, Dictionary<string, object?> Totals);
